using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// <c>Cordon:Retention:Days</c>: deletes jobs that finished, and sessions that ended, longer ago than that, the
/// crypto-shredding way (<see cref="WorkspaceDataEraser"/>). It runs on every replica: each delete is idempotent and
/// decided by a row count, so two replicas erasing the same job at once delete it once and subtract its bytes once —
/// no leader is needed (a leader lock would only save the duplicate reads).
/// </summary>
internal sealed partial class JobRetention(
    IServiceScopeFactory scopeFactory,
    IOptions<OutputRetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<JobRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value;
        if (!retention.DeletesJobs)
        {
            return;
        }

        await BatchedSweep.RunAsync(SweepOnceAsync, retention.BatchSize, TimeSpan.FromSeconds(retention.SweepIntervalSeconds), timeProvider, ex => LogSweepFailed(logger, ex), stoppingToken);
    }

    /// <summary>One round: up to <see cref="OutputRetentionOptions.BatchSize"/> expired jobs (and ended sessions) deleted; returns how many jobs it looked at.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value;
        DateTimeOffset? cutoff = timeProvider.GetUtcNow() - TimeSpan.FromDays(retention.Days);
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        var eraser = scope.ServiceProvider.GetRequiredService<WorkspaceDataEraser>();
        // Across tenants, so without the request's tenant filter; each delete names the job's tenant.
        var due = await db.Jobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.FinishedAt != null && j.FinishedAt < cutoff)
            .OrderBy(j => j.FinishedAt)
            .Take(retention.BatchSize)
            .Select(j => new { j.TenantId, j.Id })
            .ToListAsync(cancellationToken);
        var jobs = 0;
        foreach (var job in due)
        {
            jobs += await eraser.EraseJobAsync(job.TenantId, job.Id, cancellationToken) ? 1 : 0;
        }

        var sessions = 0;
        foreach (var session in await db.Sessions.IgnoreQueryFilters().AsNoTracking()
                     .Where(s => s.EndedAt != null && s.EndedAt < cutoff)
                     .OrderBy(s => s.EndedAt)
                     .Take(retention.BatchSize)
                     .Select(s => new { s.TenantId, s.Id })
                     .ToListAsync(cancellationToken))
        {
            sessions += await eraser.EraseSessionAsync(session.TenantId, session.Id, cancellationToken) ? 1 : 0;
        }

        if (jobs + sessions > 0)
        {
            LogDeleted(logger, jobs, sessions, retention.Days);
        }

        return due.Count;
    }

    [LoggerMessage(EventId = 1952, Level = LogLevel.Information, Message = "Retention: {Jobs} job(s) and {Sessions} session(s) older than {Days} days deleted, their data keys destroyed")]
    private static partial void LogDeleted(ILogger logger, int jobs, int sessions, int days);

    [LoggerMessage(EventId = 1953, Level = LogLevel.Warning, Message = "Retention pass failed; the next round tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
