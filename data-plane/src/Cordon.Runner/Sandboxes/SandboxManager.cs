using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cordon.Runner.Configuration;
using Cordon.Runner.Dependencies;
using Cordon.Runner.Egress;
using Cordon.Runner.Observability;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;
using Microsoft.Extensions.Logging;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// Owns every sandbox of this runner: creates them (bundle, agent tmpfs, OCI runtime, agent ready), finds
/// them, destroys them (kill the cgroup, unmount, delete state), and at start-up reaps what a crash left. A warm
/// pool will sit in front of <see cref="CreateAsync"/> and hand out sandboxes created ahead of time.
/// </summary>
internal sealed partial class SandboxManager(
    RunnerOptions options,
    SandboxPaths paths,
    RuntimeRegistry registry,
    IOciRuntime oci,
    BundleGenerator bundles,
    CgroupStats cgroups,
    string rootfs,
    string initPath,
    EgressProxyFactory egress,
    TimeProvider time,
    ILogger<SandboxManager> logger) : IAsyncDisposable
{
    private static readonly TimeSpan AgentStartTimeout = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, Sandbox> _live = new();
    private readonly ConcurrentDictionary<Task, byte> _destroying = new();
    private readonly ConcurrentDictionary<string, Sandbox> _quarantined = new();
    private readonly UidSlots _slots = UidRanges.Slots(options, paths.SlotLocks);
    private readonly EgressTrustFiles _trust = new(Path.Combine(paths.DataDirectory, "egress-trust"), egress.Authority);

    // Sandboxes counted against the capacity: from the reservation in CreateAsync until a teardown verified
    // empty. A plain count of the live ones let concurrent creates pass the check together.
    private int _reserved;

    public int Capacity { get; } = CapacityPlanner.Resolve(options);

    public int Active => _live.Count;

    /// <summary>A snapshot of the live sandboxes (not the quarantined ones).</summary>
    public IReadOnlyList<Sandbox> Live => [.. _live.Values];

    public RuntimeRegistry Registry => registry;

    public async Task<Sandbox> CreateAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        using var phase = RunnerTelemetry.Phase("create");
        if (!registry.TryGet(request.Language, out var runtime))
        {
            throw new UnknownLanguageException(request.Language, registry.Runtimes.Select(r => r.Language));
        }

        var limits = registry.Resolve(runtime, request.Limits);
        var allowlist = SandboxEgress.ParseAllowlist(request.Egress ?? []);
        var proxySecrets = ProxySecretParser.Parse(request.Secrets ?? [], allowlist);
        if (!TryReserve())
        {
            throw new SandboxCapacityException($"the runner holds its maximum of {Capacity} sandboxes");
        }

        var id = "sbx-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        int slot;
        try
        {
            slot = _slots.Acquire(OwnerPaths(id));
        }
        catch
        {
            Interlocked.Decrement(ref _reserved);
            throw;
        }

        var state = paths.StateOf(id);
        // Host-side state is the runner's: sandbox uids may only traverse to their bind sources (0711), never
        // list or read; config.json and init.log are 0600 (runc reads them as root). Made before the sandbox,
        // whose log drain writes init.log there.
        Directory.CreateDirectory(paths.Sandboxes, HostFileModes.Traverse);
        Directory.CreateDirectory(state, HostFileModes.Traverse);
        var secrets = request.Secrets ?? [];
        // With egress the sandbox also trusts the runner's CA (and gets the system's CAs, which its root has not):
        // the same for every sandbox with egress, whether it has proxy secrets or not.
        var env = allowlist.Count > 0 ? SandboxEgress.WithProxy(SandboxEgress.WithProxy(request.Env), EgressTrustFiles.Environment) : request.Env;
        var sandbox = new Sandbox(id, request.Tenant, runtime, limits, slot, state, env, time.GetUtcNow())
        {
            OwnerId = request.OwnerId,
            OneShot = request.OneShot,
            // A proxy secret's variable holds its placeholder: the value stays in the runner's memory, with the proxy.
            SecretEnv = secrets.Where(s => s.Env || s.Proxy).ToDictionary(s => s.Name, s => s.Proxy ? s.Placeholder : s.Value.ToStringUtf8(), StringComparer.Ordinal),
            Packages = request.Packages,
        };
        _live[id] = sandbox;
        try
        {
            if (allowlist.Count > 0)
            {
                // The socket's directory is the sandbox's only bind of it; the proxy listens before the agent starts.
                var directory = Directory.CreateDirectory(EgressDirectory(state), HostFileModes.Shared).FullName;
                sandbox.Egress = egress.Start(Path.Combine(directory, SandboxEgress.SocketName), allowlist, proxySecrets);
            }
            else if (request.Mirror is { } mirror)
            {
                var directory = Directory.CreateDirectory(EgressDirectory(state), HostFileModes.Shared).FullName;
                mirror.Start(Path.Combine(directory, SandboxEgress.SocketName));
                sandbox.Mirror = mirror;
            }

            await StartAsync(sandbox, request.OneShot, cancellationToken);
            await SecretFiles.WriteAsync(sandbox, secrets, cancellationToken);
            LogCreated(logger, id, runtime.Language, request.Tenant);
            return sandbox;
        }
        catch
        {
            try
            {
                await DestroyAsync(id, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogDestroyFailed(logger, e, id); // quarantined: the start's own error is the one to report
            }

            throw;
        }
    }

    public Sandbox Get(string id) => _live.TryGetValue(id, out var sandbox) ? sandbox : throw new SandboxNotFoundException(id);

    /// <summary>Destroys a sandbox; a missing one is fine (destroy is idempotent).</summary>
    public async Task DestroyAsync(string id, CancellationToken cancellationToken)
    {
        if (!_live.TryRemove(id, out var sandbox))
        {
            return;
        }

        using var phase = RunnerTelemetry.Phase("destroy");

        if (sandbox.Egress is { } proxy)
        {
            // Egress ends first: nothing the sandbox still runs reaches out while it is torn down.
            await proxy.DisposeAsync();
        }

        if (sandbox.Mirror is { } mirror)
        {
            await mirror.DisposeAsync();
        }

        try
        {
            await TearDownAsync(id, sandbox.StateDirectory, cancellationToken);
            // Unmounted with the sandbox: a kept set it used may go now.
            sandbox.Packages?.Lease?.Dispose();
        }
        catch (Exception e)
        {
            // Whatever may still run keeps its uid range and its place in the capacity until a teardown verifies
            // its cgroup empty (a retry at shutdown, or the reaping at the next start).
            _quarantined[id] = sandbox;
            LogQuarantined(logger, e, id, sandbox.Slot);
            throw;
        }
        finally
        {
            // The runner's ends of the channel and the log: a still-running agent sees its channel close and stops.
            sandbox.Dispose();
        }

        _slots.Release(sandbox.Slot);
        Interlocked.Decrement(ref _reserved);
        LogDestroyed(logger, id);
    }

    /// <summary>Destroys off the caller's critical path; shutdown waits for it.</summary>
    public void DestroyInBackground(string id)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await DestroyAsync(id, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogDestroyFailed(logger, e, id);
            }
        });
        _destroying[task] = 0;
        task.ContinueWith(t => _destroying.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Removes every sandbox a previous run of this runner left behind (it crashed or was killed).</summary>
    public async Task ReapLeftoversAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(await oci.ListAsync(cancellationToken), StringComparer.Ordinal);
        if (Directory.Exists(paths.Sandboxes))
        {
            File.SetUnixFileMode(paths.Sandboxes, HostFileModes.Traverse); // an earlier version made it 0755
            ids.UnionWith(Directory.EnumerateDirectories(paths.Sandboxes).Select(Path.GetFileName)!);
        }

        foreach (var id in ids.Where(id => !_live.ContainsKey(id)))
        {
            LogReaping(logger, id);
            // Lock the slot the leftover still names first, so no other runner maps a new sandbox onto ids that
            // may still run; it is freed only once the teardown verified the cgroup empty.
            var slot = _slots.Reclaim(OwnerPaths(id));
            try
            {
                await TearDownAsync(id, paths.StateOf(id), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogQuarantined(logger, e, id, slot ?? 0);
                continue;
            }

            if (slot is { } reclaimed)
            {
                _slots.Release(reclaimed);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_live.Keys.ToList().Select(async id =>
        {
            try
            {
                await DestroyAsync(id, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogDestroyFailed(logger, e, id);
            }
        }));
        await Task.WhenAll(_destroying.Keys);
        foreach (var (id, sandbox) in _quarantined)
        {
            try
            {
                await TearDownAsync(id, sandbox.StateDirectory, CancellationToken.None);
                _slots.Release(sandbox.Slot);
            }
            catch (Exception e)
            {
                LogDestroyFailed(logger, e, id); // its slot file still names it: the next start reaps it
            }
        }
    }

    private bool TryReserve()
    {
        while (true)
        {
            var reserved = Volatile.Read(ref _reserved);
            if (reserved >= Capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, reserved + 1, reserved) == reserved)
            {
                return true;
            }
        }
    }

    private static string EgressDirectory(string state) => Path.Combine(state, "egress");

    /// <summary>What a sandbox's slot lock names: its runc state and its own state, alive while either exists.</summary>
    private string[] OwnerPaths(string id) => [Path.Combine(paths.RuncState, id), paths.StateOf(id)];

    private async Task StartAsync(Sandbox sandbox, bool oneShot, CancellationToken cancellationToken)
    {
        var hostBase = options.UidBase + (sandbox.Slot * SandboxSpec.IdRangeSize);
        var spec = new SandboxSpec(
            sandbox.Id, hostBase, sandbox.Limits, rootfs, initPath, registry.Directory, options.HostUsr,
            MaxCpuSeconds: oneShot ? (sandbox.Limits.TimeoutMs / 1000) + registry.Defaults.CompileTimeoutMs / 1000 + 5 : 7 * 24 * 3600)
        {
            EgressDirectory = sandbox.Egress is null && sandbox.Mirror is null ? null : EgressDirectory(sandbox.StateDirectory),
            Packages = sandbox.Packages,
            TrustDirectory = sandbox.Egress is null ? null : _trust.Ensure(),
        };
        await bundles.WriteAsync(sandbox.StateDirectory, spec, cancellationToken);
        try
        {
            await oci.RunDetachedAsync(sandbox.Id, sandbox.StateDirectory, sandbox.Channel.AgentEnd, sandbox.Log, cancellationToken);
        }
        finally
        {
            // The container holds its own copies now; the runner keeps only its ends, so the agent sees the channel
            // close (and stops) when the runner goes away.
            sandbox.Channel.ReleaseAgentEnd();
            sandbox.Log.ReleaseContainerEnd();
        }

        await sandbox.Agent.WaitReadyAsync(AgentStartTimeout, cancellationToken);
    }

    private async Task TearDownAsync(string id, string state, CancellationToken cancellationToken)
    {
        await oci.DeleteForceAsync(id, cancellationToken);
        cgroups.RemoveLeftovers($"/cordon/{id}");
        if (cgroups.Processes($"/cordon/{id}") is > 0 and var left)
        {
            throw new OciRuntimeException($"sandbox {id}: {left} processes are still in its cgroup after the kill");
        }

        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Sandbox {SandboxId} created ({Language}, tenant {Tenant})")]
    private static partial void LogCreated(ILogger logger, string sandboxId, string language, string tenant);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Sandbox {SandboxId} destroyed")]
    private static partial void LogDestroyed(ILogger logger, string sandboxId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Destroying sandbox {SandboxId} failed")]
    private static partial void LogDestroyFailed(ILogger logger, Exception exception, string sandboxId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Reaping sandbox {SandboxId} left by an earlier run")]
    private static partial void LogReaping(ILogger logger, string sandboxId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Sandbox {SandboxId} was not verified gone: its uid slot {Slot} and capacity stay held")]
    private static partial void LogQuarantined(ILogger logger, Exception exception, string sandboxId, int slot);
}
