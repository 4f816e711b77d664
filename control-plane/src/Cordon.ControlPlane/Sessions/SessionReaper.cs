using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// Enforces idle timeout and TTL on the server: a session past its TTL, or ready and idle past its idle timeout,
/// is ended with that reason and its sandbox destroyed. A busy session is not idle; TTL ends it regardless.
/// </summary>
internal sealed class SessionReaper(
    IServiceScopeFactory scopeFactory,
    SessionTerminator terminator,
    IOptions<SessionsOptions> options,
    TimeProvider timeProvider,
    ILogger<SessionReaper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReapIntervalSeconds), timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReapOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SessionsLog.ReaperFailed(logger, ex);
            }
        }
    }

    /// <summary>One round; returns how many sessions it ended.</summary>
    public async Task<int> ReapOnceAsync(CancellationToken cancellationToken)
    {
        List<SessionEntity> open;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
            // The reaper acts for every tenant, so it is the one reader that ignores the tenant filter.
            open = await db.Sessions.IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.Status != SessionStatus.Ended)
                .ToListAsync(cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        var due = open.Select(session => (session.Id, Why: session.ExpiresAt <= now
                ? (SessionEndReason.Ttl, $"the session reached its TTL of {session.TtlSec} s")
                : session.Status == SessionStatus.Ready && session.LastActiveAt.AddSeconds(session.IdleTimeoutSec) <= now
                    ? (SessionEndReason.IdleTimeout, $"the session was idle for {session.IdleTimeoutSec} s")
                    : ((SessionEndReason Reason, string Detail)?)null))
            .Where(d => d.Why is not null)
            .ToList();

        // In parallel, bounded: a runner that is slow to destroy (each destroy has its own deadline) delays only its
        // own sessions, and one that fails is logged without stopping the others (the reconciliation retries it).
        var ended = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.ReapConcurrency, CancellationToken = cancellationToken }, async (d, ct) =>
        {
            try
            {
                if (await terminator.EndAsync(d.Id, d.Why!.Value.Reason, destroySandbox: true, d.Why.Value.Detail, ct))
                {
                    Interlocked.Increment(ref ended);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                SessionsLog.ReapFailed(logger, ex, d.Id);
            }
        });

        return ended;
    }
}
