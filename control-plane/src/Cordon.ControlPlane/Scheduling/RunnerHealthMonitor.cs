using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Scheduling;

/// <summary>
/// Polls every runner's health. A runner that fails <c>FailuresBeforeDown</c> checks in a row is marked down and
/// the <see cref="IRunnerLossListener"/>s end the jobs and sessions it held.
/// </summary>
internal sealed partial class RunnerHealthMonitor(
    RunnerRegistry registry,
    RunnerGateway gateway,
    IEnumerable<IRunnerLossListener> listeners,
    IOptions<SchedulingOptions> options,
    TimeProvider timeProvider,
    ILogger<RunnerHealthMonitor> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes after the first round of health checks, so start-up can wait for the runtimes.</summary>
    public Task FirstRound => _firstRound.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (registry.All.Count == 0)
        {
            LogNoRunners(logger);
        }

        var interval = TimeSpan.FromSeconds(options.Value.HealthIntervalSeconds);
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            await CheckAllAsync(stoppingToken);
            _firstRound.TrySetResult();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public Task CheckAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(registry.All.Select(runner => CheckAsync(runner, cancellationToken)));

    private async Task CheckAsync(RunnerState runner, CancellationToken cancellationToken)
    {
        try
        {
            var health = await gateway.GetHealthAsync(runner, TimeSpan.FromSeconds(options.Value.HealthTimeoutSeconds), cancellationToken);
            runner.LastHealth = health;
            runner.RecordSuccess();
            runner.LastError = null;
            if (!runner.IsUp)
            {
                runner.IsUp = true;
                LogRunnerUp(logger, runner.Id, runner.Url.ToString(), health.Capacity, health.Runtimes.Count);
            }
        }
        catch (Exception ex) when (ex is CordonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            runner.LastError = ex.Message;
            var failures = runner.RecordFailure();
            if (failures >= options.Value.FailuresBeforeDown && runner.MarkDown())
            {
                LogRunnerDown(logger, runner.Id, ex.Message);
                var reason = $"runner '{runner.Id}' stopped answering: {ex.Message}";
                foreach (var listener in listeners)
                {
                    await listener.OnRunnerLostAsync(runner.Id, reason, cancellationToken);
                }
            }
            else if (!runner.IsUp && failures == 1)
            {
                LogRunnerUnreachable(logger, runner.Id, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Runner {RunnerId} at {Url} is up: capacity {Capacity}, {Runtimes} runtime(s)")]
    private static partial void LogRunnerUp(ILogger logger, string runnerId, string url, int capacity, int runtimes);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Runner {RunnerId} is down: {Reason}; its running jobs and sessions end")]
    private static partial void LogRunnerDown(ILogger logger, string runnerId, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Runner {RunnerId} is not reachable yet: {Reason}")]
    private static partial void LogRunnerUnreachable(ILogger logger, string runnerId, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "No runners are configured (Cordon:Runners); jobs and sessions answer 503 until one is")]
    private static partial void LogNoRunners(ILogger logger);
}
