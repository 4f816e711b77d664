using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cordon.Runner.Agent;
using Cordon.Runner.Hosting;
using Cordon.Runner.Native;
using Cordon.Runner.Oci;
using Cordon.Runner.Rootfs;
using Cordon.Runner.Runtimes;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// Owns every sandbox of this runner: creation, lookup, destruction (in the background, tracked so shutdown
/// waits for it), and reaping what a crashed runner left. A warm pool would sit in front of
/// <see cref="CreateAsync"/> and hand out sandboxes it created earlier with the same call.
/// </summary>
internal sealed class SandboxManager(IOptions<RunnerOptions> options, TimeProvider time, ILogger<SandboxManager> logger) : IAsyncDisposable
{
    private readonly RunnerOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Sandbox> _sandboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _destroying = new();
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private SlotAllocator? _slots;
    private JsonNode? _seccomp;
    private volatile bool _shuttingDown;

    public bool IsReady { get; private set; }
    public string DataDir { get; private set; } = "";
    public string RootfsPath { get; private set; } = "";
    public string InitPath { get; private set; } = "";
    public IOciRuntime Runtime { get; private set; } = null!;
    public RuntimeRegistry Runtimes { get; private set; } = null!;
    public int Capacity => _options.Capacity;
    public int Active => _sandboxes.Count;
    public string SandboxesDir => Path.Combine(DataDir, "sandboxes");
    public string CgroupParent => "/" + _options.CgroupParent.Trim('/');

    /// <summary>Checks the host, builds the root filesystem, loads runtimes and reaps leftovers. Idempotent.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (IsReady)
            {
                return;
            }

            DataDir = _options.ResolveDataDir();
            InitPath = ResolveInitPath();
            var runtimesDir = _options.RuntimesPath ?? RuntimeRegistry.FindDefaultDirectory()
                ?? throw new InvalidOperationException("deploy/runtimes not found; set Cordon:Runner:RuntimesPath.");
            var binary = Command.Resolve(_options.OciRuntime)
                ?? throw new InvalidOperationException($"OCI runtime '{_options.OciRuntime}' not found; install runc or set Cordon:Runner:OciRuntime.");
            Directory.CreateDirectory(SandboxesDir);
            var probe = OciRuntimeProbe.ProbeAsync(binary, cancellationToken);
            var registry = RuntimeRegistry.LoadAsync(Path.GetFullPath(runtimesDir), cancellationToken);
            _seccomp = SeccompProfile.Load(_options.SeccompProfilePath);
            var info = await probe;
            Runtime = new RuncRuntime(binary, Path.Combine(DataDir, "oci"), info);
            await ReapAsync(cancellationToken);
            RootfsPath = RootfsBuilder.Build(DataDir);
            Runtimes = await registry;
            _slots = new SlotAllocator(_options.Capacity);
            IsReady = true;
            foreach (var gap in info.KnownGaps)
            {
                SandboxLog.KnownGap(logger, gap);
            }

            SandboxLog.Ready(logger, info.ToString(), Runtimes.All.Count, _options.Capacity, DataDir);
        }
        finally
        {
            _initLock.Release();
        }
    }

    public Sandbox Get(string id) =>
        _sandboxes.TryGetValue(id ?? "", out var sandbox) && !sandbox.IsDestroying
            ? sandbox
            : throw new SandboxException(SandboxError.NotFound, $"No sandbox '{id}'.");

    public async Task<Sandbox> CreateAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        if (_shuttingDown)
        {
            throw new SandboxException(SandboxError.ShuttingDown, "The runner is shutting down.");
        }

        if (!IsReady)
        {
            throw new SandboxException(SandboxError.ShuttingDown, "The runner is not ready.");
        }

        var runtime = Runtimes.Find(request.Language)
            ?? throw new SandboxException(SandboxError.InvalidArgument, $"Unknown language '{request.Language}'.");
        RuntimeLimits limits;
        try
        {
            limits = request.Limits.Resolve(runtime.DefaultLimits, runtime.MaxLimits);
        }
        catch (ArgumentException e)
        {
            throw new SandboxException(SandboxError.InvalidArgument, e.Message);
        }

        if (!_slots!.TryAcquire(out var slot))
        {
            throw new SandboxException(SandboxError.AtCapacity, $"The runner holds {Capacity} sandboxes already.");
        }

        var started = Stopwatch.GetTimestamp();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var stateDir = Path.Combine(SandboxesDir, id);
        var sandbox = new Sandbox
        {
            Id = id,
            Slot = slot,
            Runtime = runtime,
            Limits = limits,
            StateDir = stateDir,
            Agent = new AgentClient(Path.Combine(stateDir, "run", "agent.sock")),
            Cgroup = new CgroupReader($"{CgroupParent}/{id}"),
            Env = request.Env,
            Tenant = request.Tenant,
            OwnerId = request.OwnerId,
            CreatedAt = time.GetUtcNow(),
        };
        _sandboxes[id] = sandbox;
        try
        {
            await StartAsync(sandbox, request, cancellationToken);
            SandboxLog.Created(logger, id, runtime.Language, slot, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return sandbox;
        }
        catch (Exception e)
        {
            SandboxLog.CreateFailed(logger, e);
            await DestroyAsync(sandbox, CancellationToken.None);
            throw e is OperationCanceledException or SandboxException
                ? e
                : new SandboxException(SandboxError.Internal, $"Creating the sandbox failed: {e.Message}", e);
        }
    }

    private async Task StartAsync(Sandbox sandbox, SandboxRequest request, CancellationToken cancellationToken)
    {
        var hostBase = (long)_options.UidBase + ((long)sandbox.Slot * OciSpecBuilder.IdRangeSize);
        var runDir = Path.Combine(sandbox.StateDir, "run");
        Directory.CreateDirectory(runDir);
        // Independent steps in parallel: the network namespace (its own thread) and the agent tmpfs + bundle.
        var netns = NetworkNamespace.CreateAsync(sandbox.Id);
        var agentId = (hostBase + OciSpecBuilder.SandboxUid).ToString(CultureInfo.InvariantCulture);
        CheckErrno(Libc.mount("tmpfs", runDir, "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, $"size=64k,nr_inodes=16,mode=0700,uid={agentId},gid={agentId}"), $"mount tmpfs {runDir}");
        var cpuSeconds = request.OneShot ? (sandbox.Limits.TimeoutMs / 1000) + 35 : 24 * 3600;
        var spec = new SandboxSpec
        {
            Id = sandbox.Id,
            RootfsPath = RootfsPath,
            HostIdBase = hostBase,
            Limits = sandbox.Limits,
            InitPath = InitPath,
            RuntimesPath = Runtimes.Directory,
            AgentRunDir = runDir,
            NetnsPath = NetworkNamespace.PathFor(sandbox.Id),
            CgroupsPath = $"{CgroupParent}/{sandbox.Id}",
            CpuSeconds = cpuSeconds,
        };
        var config = OciSpecBuilder.Build(spec, _seccomp!, CgroupReader.IsUnified());
        await using (var file = File.Create(Path.Combine(sandbox.StateDir, "config.json")))
        {
            await using var writer = new Utf8JsonWriter(file);
            config.WriteTo(writer);
        }

        await netns;
        await Runtime.RunDetachedAsync(sandbox.Id, sandbox.StateDir, cancellationToken);
        await sandbox.Agent.WaitReadyAsync(TimeSpan.FromMilliseconds(_options.AgentReadyTimeoutMs), cancellationToken);
    }

    /// <summary>Destroys in the background (off the caller's critical path); shutdown waits for it.</summary>
    public void DestroyInBackground(Sandbox sandbox)
    {
        if (!sandbox.TryMarkDestroying())
        {
            return;
        }

        var task = Task.Run(() => DestroyCoreAsync(sandbox));
        _destroying[task] = 0;
        task.ContinueWith(t => _destroying.TryRemove(t, out _), TaskScheduler.Default);
    }

    public async Task DestroyAsync(string id, CancellationToken cancellationToken)
    {
        if (!_sandboxes.TryGetValue(id ?? "", out var sandbox))
        {
            throw new SandboxException(SandboxError.NotFound, $"No sandbox '{id}'.");
        }

        await DestroyAsync(sandbox, cancellationToken);
    }

    public async Task DestroyAsync(Sandbox sandbox, CancellationToken cancellationToken)
    {
        if (sandbox.TryMarkDestroying())
        {
            await DestroyCoreAsync(sandbox).WaitAsync(cancellationToken);
        }
    }

    private async Task DestroyCoreAsync(Sandbox sandbox)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await TeardownAsync(sandbox.Id, CancellationToken.None);
            SandboxLog.Destroyed(logger, sandbox.Id, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            SandboxLog.DestroyFailed(logger, e, sandbox.Id);
        }
        finally
        {
            _sandboxes.TryRemove(sandbox.Id, out _);
            _slots?.Release(sandbox.Slot);
        }
    }

    /// <summary>
    /// Removes everything a sandbox id owns, each step tolerant of what is already gone: the container (runc
    /// freezes and kills the whole cgroup, and killing PID 1 ends the pid namespace), leftover cgroup
    /// directories, the agent tmpfs, the network namespace and the state directory.
    /// </summary>
    private async Task TeardownAsync(string id, CancellationToken cancellationToken)
    {
        await KillInitAsync(id, cancellationToken);
        try
        {
            await Runtime.DeleteAsync(id, force: true, cancellationToken);
        }
        catch (OciRuntimeException)
        {
            // Not known to runc (never started, or already deleted); the cgroup is checked below anyway.
        }

        var cgroup = new CgroupReader($"{CgroupParent}/{id}");
        foreach (var dir in cgroup.Directories())
        {
            RemoveCgroup(dir);
        }

        var stateDir = Path.Combine(SandboxesDir, id);
        var runDir = Path.Combine(stateDir, "run");
        if (Libc.umount2(runDir, Libc.MNT_DETACH) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is not (Libc.EINVAL or Libc.ENOENT))
            {
                throw new IOException($"umount {runDir}: {Libc.Error(errno)}");
            }
        }

        NetworkNamespace.Delete(id);
        if (Directory.Exists(stateDir))
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }

    /// <summary>
    /// SIGKILLs the sandbox's PID 1 directly (which ends its whole pid namespace) and waits until it is dead:
    /// <c>runc delete --force</c> on a running container polls in 100 ms steps, on a stopped one it does not.
    /// </summary>
    private async Task KillInitAsync(string id, CancellationToken cancellationToken)
    {
        var statePath = Path.Combine(DataDir, "oci", id, "state.json");
        int pid;
        try
        {
            await using var stream = File.OpenRead(statePath);
            using var state = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            pid = state.RootElement.GetProperty("init_process_pid").GetInt32();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return;
        }

        if (pid <= 1 || Libc.kill(pid, Libc.SIGKILL) < 0)
        {
            return;
        }

        for (var i = 0; i < 400 && IsAlive(pid); i++)
        {
            await Task.Delay(1, cancellationToken);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..];
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void RemoveCgroup(string dir)
    {
        for (var attempt = 0; attempt < 50 && Directory.Exists(dir); attempt++)
        {
            try
            {
                // A cgroup directory holds only kernel files: rmdir, never a recursive delete.
                foreach (var child in Directory.GetDirectories(dir))
                {
                    RemoveCgroup(child);
                }

                Directory.Delete(dir);
            }
            catch (IOException) when (attempt < 49)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>Removes every sandbox a previous runner with this data directory left behind.</summary>
    private async Task ReapAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in await Runtime.ListAsync(cancellationToken))
        {
            ids.Add(id);
        }

        foreach (var dir in Directory.GetDirectories(SandboxesDir))
        {
            ids.Add(Path.GetFileName(dir));
        }

        await Parallel.ForEachAsync(ids, cancellationToken, async (id, ct) =>
        {
            SandboxLog.Reaped(logger, id);
            await TeardownAsync(id, ct);
        });
    }

    private string ResolveInitPath()
    {
        var path = _options.InitPath ?? Environment.GetEnvironmentVariable("CORDON_INIT_PATH") ?? Path.Combine(AppContext.BaseDirectory, "cordon-init");
        return File.Exists(path)
            ? Path.GetFullPath(path)
            : throw new InvalidOperationException($"cordon-init not found at {path}; build it (scripts/build.sh) or set Cordon:Runner:InitPath / CORDON_INIT_PATH.");
    }

    private static void CheckErrno(int rc, string what)
    {
        if (rc < 0)
        {
            throw new IOException($"{what}: {Libc.Error(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Refuses new sandboxes, destroys the live ones and waits for background destroys.</summary>
    public async ValueTask DisposeAsync()
    {
        _shuttingDown = true;
        foreach (var sandbox in _sandboxes.Values)
        {
            DestroyInBackground(sandbox);
        }

        await Task.WhenAll(_destroying.Keys);
    }
}
