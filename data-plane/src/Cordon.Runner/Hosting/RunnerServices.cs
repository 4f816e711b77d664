using Cordon.Runner.Configuration;
using Cordon.Runner.Execution;
using Cordon.Runner.Grpc;
using Cordon.Runner.Oci;
using Cordon.Runner.Rootfs;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Microsoft.Extensions.Logging;

namespace Cordon.Runner.Hosting;

/// <summary>
/// The runner's object graph, built once at start-up: registry, OCI runtime, leftovers reaped, root filesystem
/// built, sandbox manager, executors. Shared by the gRPC server and the <c>exec</c> command.
/// </summary>
internal sealed class RunnerServices(SandboxManager sandboxes, SandboxExecutor executor, JobRunner jobs, RunnerInfo info, ServiceToken token) : IAsyncDisposable
{
    public SandboxManager Sandboxes { get; } = sandboxes;

    public SandboxExecutor Executor { get; } = executor;

    public JobRunner Jobs { get; } = jobs;

    public RunnerInfo Info { get; } = info;

    public ServiceToken Token { get; } = token;

    public static async Task<RunnerServices> CreateAsync(RunnerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDirectory);
        var token = ServiceToken.Resolve(options.ServiceToken, dataDirectory);
        var oomGap = HostHardening.ProtectFromOomKiller();
        // Mapped sandbox uids must traverse to the root filesystem and binds; they may not list or read.
        File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var paths = new SandboxPaths(dataDirectory);
        var registry = await RuntimeRegistry.LoadAsync(AssetLocator.Find(options.RuntimesPath, "runtimes", Path.Combine("deploy", "runtimes")), cancellationToken);
        var seccomp = SeccompProfile.Load(Path.Combine(AssetLocator.Find(null, "seccomp", Path.Combine("deploy", "seccomp")), "cordon-default.json"));
        var initPath = AssetLocator.FindInit(options.InitPath);
        var oci = await RuncRuntime.CreateAsync(options.OciRuntime, paths.RuncState, cancellationToken);
        var cgroups = new CgroupStats();
        var manager = new SandboxManager(options, paths, registry, oci, new BundleGenerator(seccomp), cgroups,
            Path.Combine(dataDirectory, "rootfs"), initPath, TimeProvider.System, loggers.CreateLogger<SandboxManager>());
        await manager.ReapLeftoversAsync(cancellationToken);
        RootfsBuilder.Build(dataDirectory);
        var executor = new SandboxExecutor(cgroups, registry);
        var info = new RunnerInfo(
            Environment.MachineName + ":" + Path.GetFileName(dataDirectory.TrimEnd('/')),
            typeof(RunnerServices).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            oci.Describe,
            [.. HostHardening.KnownGaps(oci.Describe), .. (oomGap is null ? [] : new[] { oomGap }), .. HostLimits.Raise(manager.Capacity, (registry.Defaults.MaxLimits.Pids ?? 1024) + BundleGenerator.AgentTasks)]);
        return new RunnerServices(manager, executor, new JobRunner(manager, executor), info, token);
    }

    public ValueTask DisposeAsync() => Sandboxes.DisposeAsync();
}
