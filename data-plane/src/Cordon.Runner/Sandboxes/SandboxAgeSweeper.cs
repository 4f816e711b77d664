using Cordon.Runner.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// Destroys every sandbox older than <see cref="RunnerOptions.MaxSandboxAge"/>. The runner's own bound, independent
/// of any control plane: a session sandbox whose control plane crashed, forgot it or lost its database still ends.
/// </summary>
internal sealed partial class SandboxAgeSweeper(
    SandboxManager sandboxes,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<SandboxAgeSweeper> logger) : BackgroundService
{
    /// <summary>A quarter of the age, so a sandbox outlives it by at most 25 %, between 250 ms and a minute.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(options.Value.MaxSandboxAge.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromMinutes(1).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await SweepOnceAsync(stoppingToken);
        }
    }

    /// <summary>One round; returns how many sandboxes it destroyed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var maxAge = options.Value.MaxSandboxAge;
        var now = time.GetUtcNow();
        var expired = sandboxes.Live.Where(s => now - s.CreatedAt >= maxAge).ToList();
        var destroyed = await Task.WhenAll(expired.Select(async sandbox =>
        {
            LogExpired(logger, sandbox.Id, sandbox.OwnerId ?? "a one-shot job", (now - sandbox.CreatedAt).TotalSeconds, maxAge.TotalSeconds);
            try
            {
                await sandboxes.DestroyAsync(sandbox.Id, cancellationToken);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e, sandbox.Id); // quarantined by the manager; retried at shutdown or the next start
                return false;
            }
        }));
        return destroyed.Count(d => d);
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Sandbox {SandboxId} ({Owner}) is {AgeSeconds:F0} s old, past Cordon:Runner:MaxSandboxAge ({MaxAgeSeconds:F0} s): destroying it")]
    private static partial void LogExpired(ILogger logger, string sandboxId, string owner, double ageSeconds, double maxAgeSeconds);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Error, Message = "Could not destroy expired sandbox {SandboxId}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string sandboxId);
}
