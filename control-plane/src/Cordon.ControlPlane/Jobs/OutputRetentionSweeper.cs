using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Deletes the output of jobs that finished longer than <see cref="OutputRetentionOptions.OutputHours"/> ago: their
/// stdout/stderr events, compile output and artifacts, and takes those bytes off the tenant's storage total. The
/// job row stays, marked <see cref="JobEntity.OutputExpiredAt"/>. Several control-plane replicas may sweep at once:
/// each job is claimed by a predicated update (<c>OutputExpiredAt IS NULL</c>) whose row count says which replica
/// deletes it and subtracts its bytes, so nothing is subtracted twice.
/// </summary>
internal sealed partial class OutputRetentionSweeper(
    IServiceScopeFactory scopeFactory,
    IObjectStore objects,
    IOptions<OutputRetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<OutputRetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value;
        if (!retention.Enabled)
        {
            return;
        }

        await BatchedSweep.RunAsync(SweepOnceAsync, retention.BatchSize, TimeSpan.FromSeconds(retention.SweepIntervalSeconds), timeProvider, ex => LogSweepFailed(logger, ex), stoppingToken);
    }

    /// <summary>One round: up to <see cref="OutputRetentionOptions.BatchSize"/> jobs' output deleted; returns how many jobs it looked at.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value;
        var now = timeProvider.GetUtcNow();
        DateTimeOffset? cutoff = now - retention.Output;
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        var keys = scope.ServiceProvider.GetRequiredService<DataKeys>();
        // Across tenants, so without the request's tenant filter; each statement below names the job's tenant.
        var due = await db.Jobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.OutputExpiredAt == null && j.FinishedAt != null && j.FinishedAt < cutoff)
            .OrderBy(j => j.FinishedAt)
            .Take(retention.BatchSize)
            .Select(j => new { j.TenantId, j.Id, j.ArtifactsJson })
            .ToListAsync(cancellationToken);
        var expired = 0;
        long freed = 0;
        foreach (var job in due)
        {
            var bytes = await ExpireAsync(db, keys, job.TenantId, job.Id, job.ArtifactsJson, now, cancellationToken);
            if (bytes is { } done)
            {
                expired++;
                freed += done;
            }
        }

        if (expired > 0)
        {
            LogSwept(logger, expired, freed);
        }

        return due.Count;
    }

    /// <summary>Deletes one job's output; returns the bytes freed, or null when another sweeper claimed it first.</summary>
    private async Task<long?> ExpireAsync(CordonDbContext db, DataKeys keys, string tenant, string jobId, string artifactsJson, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Artifacts first: deleting is idempotent, and a crash before the claim below leaves the job for the next
        // sweep instead of leaving files no job row will ever point a sweep at again.
        foreach (var artifact in JsonSerializer.Deserialize(artifactsJson, ControlPlaneJsonContext.Default.ListArtifactInfo) ?? [])
        {
            await objects.DeleteAsync(ArtifactKeys.For(tenant, jobId, artifact.Path), cancellationToken);
        }

        // The artifacts were all the data key encrypted: it goes with them.
        await keys.ShredAsync(tenant, jobId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Jobs.IgnoreQueryFilters()
            .Where(j => j.TenantId == tenant && j.Id == jobId && j.OutputExpiredAt == null)
            .ExecuteUpdateAsync(
                set => set.SetProperty(j => j.OutputExpiredAt, (DateTimeOffset?)now).SetProperty(j => j.CompileOutput, (string?)null).SetProperty(j => j.SetupOutput, (string?)null),
                cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        await db.JobEvents.IgnoreQueryFilters()
            .Where(e => e.TenantId == tenant && e.JobId == jobId && (e.Kind == JobEventTypes.Stdout || e.Kind == JobEventTypes.Stderr))
            .ExecuteDeleteAsync(cancellationToken);
        var bytes = await db.Jobs.IgnoreQueryFilters()
            .Where(j => j.TenantId == tenant && j.Id == jobId)
            .Select(j => j.StoredBytes)
            .FirstAsync(cancellationToken);
        await TenantStorage.AddAsync(db, tenant, -bytes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return bytes;
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information, Message = "Retention: output of {Jobs} job(s) deleted, {Bytes} bytes freed")]
    private static partial void LogSwept(ILogger logger, int jobs, long bytes);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning, Message = "Retention sweep failed; the next round tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
