using Cordon.Runner.Dependencies;
using Cordon.Runner.Grpc;
using Cordon.Runner.Oci;
using Cordon.Runner.Rootfs;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Hosting;

/// <summary>
/// What the runner does once its settings are valid and before it serves: the data directory, the OCI runtime's
/// version, the runtimes' versions, the leftovers of an earlier run reaped, the root filesystem built, the
/// service token in place. The host runs it after options validation, so none of this happens on a bad setting.
/// </summary>
internal sealed partial class RunnerStartup(
    SandboxPaths paths,
    IOciRuntime oci,
    RuntimeRegistry registry,
    SandboxManager sandboxes,
    StartupGaps gaps,
    IServiceProvider services,
    ILogger<RunnerStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.DataDirectory);
        // The token file is written first (when none is configured), so an operator can read it as soon as we run.
        services.GetRequiredService<ServiceToken>();
        if (HostHardening.ProtectFromOomKiller() is { } oomGap)
        {
            gaps.Gaps.Add(oomGap);
        }

        // Mapped sandbox uids must traverse to the root filesystem and binds; they may not list or read.
        File.SetUnixFileMode(paths.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        await oci.InitializeAsync(cancellationToken);
        await registry.DetectVersionsAsync(cancellationToken);
        await sandboxes.ReapLeftoversAsync(cancellationToken);
        RootfsBuilder.Build(paths.DataDirectory);
        services.GetRequiredService<DependencyCache>().Clean(); // no sandbox mounts a staging or retired set now
        gaps.Gaps.AddRange(HostLimits.Raise(sandboxes.Capacity, (registry.Defaults.MaxLimits.Pids ?? 1024) + BundleGenerator.AgentTasks));
        LogStarted(logger, oci.Describe, registry.Runtimes.Count, sandboxes.Capacity);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Runner started: {OciRuntime}, {Runtimes} runtimes, capacity {Capacity}")]
    private static partial void LogStarted(ILogger logger, string ociRuntime, int runtimes, int capacity);
}
