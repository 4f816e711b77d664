using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cordon.Runner.Configuration;
using Cordon.Runner.Native;
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
    IHostMounts mounts,
    string rootfs,
    string initPath,
    TimeProvider time,
    ILogger<SandboxManager> logger) : IAsyncDisposable
{
    private static readonly TimeSpan AgentStartTimeout = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, Sandbox> _live = new();
    private readonly ConcurrentDictionary<Task, byte> _destroying = new();
    private readonly UidSlots _slots = new(paths.SlotLocks, options.Capacity);

    public int Capacity => options.Capacity;

    public int Active => _live.Count;

    public RuntimeRegistry Registry => registry;

    public async Task<Sandbox> CreateAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(request.Language, out var runtime))
        {
            throw new UnknownLanguageException(request.Language, registry.Runtimes.Select(r => r.Language));
        }

        var limits = registry.Resolve(runtime, request.Limits);
        if (_live.Count >= options.Capacity)
        {
            throw new SandboxCapacityException($"the runner holds its maximum of {options.Capacity} sandboxes");
        }

        var slot = _slots.Acquire();
        var id = "sbx-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var state = paths.StateOf(id);
        var sandbox = new Sandbox(id, request.Tenant, runtime, limits, slot, state, request.Env, time.GetUtcNow());
        _live[id] = sandbox;
        try
        {
            await StartAsync(sandbox, request.OneShot, cancellationToken);
            LogCreated(logger, id, runtime.Language, request.Tenant);
            return sandbox;
        }
        catch
        {
            await DestroyAsync(id, CancellationToken.None);
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

        try
        {
            await TearDownAsync(id, sandbox.StateDirectory, cancellationToken);
        }
        finally
        {
            _slots.Release(sandbox.Slot);
        }

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
            ids.UnionWith(Directory.EnumerateDirectories(paths.Sandboxes).Select(Path.GetFileName)!);
        }

        foreach (var id in ids.Where(id => !_live.ContainsKey(id)))
        {
            LogReaping(logger, id);
            await TearDownAsync(id, paths.StateOf(id), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_live.Keys.ToList().Select(id => DestroyAsync(id, CancellationToken.None)));
        await Task.WhenAll(_destroying.Keys);
    }

    private async Task StartAsync(Sandbox sandbox, bool oneShot, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(sandbox.AgentRunDirectory);
        var hostBase = options.UidBase + (sandbox.Slot * SandboxSpec.IdRangeSize);
        var sandboxHostId = hostBase + SandboxSpec.SandboxUid;
        mounts.MountTmpfs(sandbox.AgentRunDirectory, $"size=64k,nr_inodes=16,mode=0700,uid={sandboxHostId},gid={sandboxHostId}");
        var spec = new SandboxSpec(
            sandbox.Id, hostBase, sandbox.Limits, rootfs, initPath, registry.Directory, sandbox.AgentRunDirectory, options.HostUsr,
            MaxCpuSeconds: oneShot ? (sandbox.Limits.TimeoutMs / 1000) + registry.Defaults.CompileTimeoutMs / 1000 + 5 : 7 * 24 * 3600);
        await bundles.WriteAsync(sandbox.StateDirectory, spec, cancellationToken);
        await oci.RunDetachedAsync(sandbox.Id, sandbox.StateDirectory, Path.Combine(sandbox.StateDirectory, "init.log"), cancellationToken);
        await sandbox.Agent.WaitReadyAsync(AgentStartTimeout, cancellationToken);
    }

    private async Task TearDownAsync(string id, string state, CancellationToken cancellationToken)
    {
        await oci.DeleteForceAsync(id, cancellationToken);
        mounts.Unmount(Path.Combine(state, "run"));
        cgroups.RemoveLeftovers($"/cordon/{id}");
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
}
