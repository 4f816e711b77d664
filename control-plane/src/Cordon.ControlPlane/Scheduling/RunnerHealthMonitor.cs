using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Scheduling;

/// <summary>
/// Polls every runner's health. A runner that has failed <c>FailuresBeforeDown</c> checks in a row, over at least
/// <c>DownAfterSeconds</c>, is marked down and the <see cref="IRunnerLossListener"/>s end the jobs and sessions it
/// held. When a runner comes up, restarted (its <c>instance_id</c> changed) or is due, the
/// <see cref="IRunnerReconciler"/>s run in the background.
/// </summary>
internal sealed partial class RunnerHealthMonitor(
    RunnerRegistry registry,
    RunnerGateway gateway,
    IEnumerable<IRunnerLossListener> listeners,
    IEnumerable<IRunnerReconciler> reconcilers,
    IOptions<SchedulingOptions> options,
    TimeProvider timeProvider,
    ILogger<RunnerHealthMonitor> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stopping;

    /// <summary>Completes after the first round of health checks, so start-up can wait for the runtimes.</summary>
    public Task FirstRound => _firstRound.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        if (registry.All.Count == 0)
        {
            LogNoRunners(logger);
        }

        var interval = TimeSpan.FromSeconds(options.Value.HealthIntervalSeconds);
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            do
            {
                await CheckAllAsync(stoppingToken);
                _firstRound.TrySetResult();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            await Task.WhenAll(registry.All.Select(r => r.Reconciling ?? Task.CompletedTask));
        }
    }

    public Task CheckAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(registry.All.Select(runner => CheckAsync(runner, cancellationToken)));

    private async Task CheckAsync(RunnerState runner, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        try
        {
            var health = await gateway.GetHealthAsync(runner, TimeSpan.FromSeconds(options.Value.HealthTimeoutSeconds), cancellationToken);
            runner.LastHealth = health;
            runner.Failures.Reset();
            runner.LastError = null;
            var restarted = runner.InstanceId is { Length: > 0 } known && health.InstanceId.Length > 0 && known != health.InstanceId;
            runner.InstanceId = health.InstanceId;
            var cameUp = !runner.IsUp;
            if (cameUp)
            {
                runner.IsUp = true;
                LogRunnerUp(logger, runner.Id, runner.Url.ToString(), health.Capacity, health.Runtimes.Count);
            }

            if (restarted)
            {
                LogRunnerRestarted(logger, runner.Id);
            }

            if (cameUp || restarted || timeProvider.GetUtcNow() >= runner.NextReconcileAt)
            {
                StartReconcile(runner);
            }
        }
        catch (Exception ex) when (ex is CordonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            runner.LastError = ex.Message;
            var lost = runner.Failures.Fail(startedAt, timeProvider.GetUtcNow(), options.Value.FailuresBeforeDown, TimeSpan.FromSeconds(options.Value.DownAfterSeconds));
            if (lost && runner.MarkDown())
            {
                LogRunnerDown(logger, runner.Id, ex.Message);
                var reason = $"runner '{runner.Id}' stopped answering: {ex.Message}";
                foreach (var listener in listeners)
                {
                    await listener.OnRunnerLostAsync(runner.Id, reason, cancellationToken);
                }
            }
            else if (runner.IsUp)
            {
                LogRunnerMissedCheck(logger, runner.Id, runner.Failures.Count, ex.Message);
            }
            else if (runner.Failures.Count == 1)
            {
                LogRunnerUnreachable(logger, runner.Id, ex.Message);
            }
        }
    }

    /// <summary>Off the health loop (a slow runner must not delay its own checks), one at a time per runner.</summary>
    private void StartReconcile(RunnerState runner)
    {
        if (runner.Reconciling is { IsCompleted: false })
        {
            return;
        }

        runner.NextReconcileAt = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(options.Value.ReconcileIntervalSeconds);
        runner.Reconciling = Task.Run(async () =>
        {
            foreach (var reconciler in reconcilers)
            {
                try
                {
                    await reconciler.ReconcileAsync(runner, _stopping);
                }
                catch (Exception ex) when (!_stopping.IsCancellationRequested)
                {
                    LogReconcileFailed(logger, ex, runner.Id);
                }
                catch (OperationCanceledException)
                {
                    return; // shutting down
                }
            }
        }, CancellationToken.None);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Runner {RunnerId} at {Url} is up: capacity {Capacity}, {Runtimes} runtime(s)")]
    private static partial void LogRunnerUp(ILogger logger, string runnerId, string url, int capacity, int runtimes);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Runner {RunnerId} is down: {Reason}; its running jobs and sessions end")]
    private static partial void LogRunnerDown(ILogger logger, string runnerId, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Runner {RunnerId} is not reachable yet: {Reason}")]
    private static partial void LogRunnerUnreachable(ILogger logger, string runnerId, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "No runners are configured (Cordon:Runners); jobs and sessions answer 503 until one is")]
    private static partial void LogNoRunners(ILogger logger);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Runner {RunnerId} missed a health check ({Failures} in a row), still up: {Reason}")]
    private static partial void LogRunnerMissedCheck(ILogger logger, string runnerId, int failures, string reason);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Runner {RunnerId} restarted (new instance): reconciling its sessions")]
    private static partial void LogRunnerRestarted(ILogger logger, string runnerId);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Error, Message = "Reconciling runner {RunnerId} failed; the next round retries")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string runnerId);
}
