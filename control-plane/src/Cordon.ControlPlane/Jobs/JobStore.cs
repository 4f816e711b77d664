using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Reads and writes jobs and their events for the current tenant. Every status change goes through
/// <see cref="TryMoveAsync"/>: one conditional update (<see cref="JobTransitions.CanMoveTo"/>) whose row count
/// decides, then the status event (and, for a final status, the result event and the
/// <see cref="IJobFinishedListener"/>s) in the same transaction.
/// </summary>
internal sealed class JobStore(
    CordonDbContext db,
    RequestContext context,
    JobEventHub hub,
    IEnumerable<IJobFinishedListener> listeners,
    TimeProvider timeProvider)
{
    private string Tenant => context.RequiredTenant;

    public Task<JobEntity?> FindAsync(string jobId, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.TenantId == Tenant && j.Id == jobId, cancellationToken);

    public Task<bool> ExistsAsync(string jobId, CancellationToken cancellationToken) =>
        db.Jobs.AnyAsync(j => j.TenantId == Tenant && j.Id == jobId, cancellationToken);

    /// <summary>Stores a new job (and the idempotency key that names it, in the same save).</summary>
    public async Task AddAsync(JobEntity job, IdempotencyKeyEntity? key, CancellationToken cancellationToken)
    {
        db.Jobs.Add(job);
        db.JobEvents.Add(StatusEvent(job));
        if (key is not null)
        {
            db.IdempotencyKeys.Add(key);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Stores one coalesced output chunk as an event — the only stored copy of that output — and counts its UTF-8
    /// bytes on the job and its tenant (<see cref="TenantStorage"/>), in one transaction.
    /// </summary>
    public async Task AppendOutputAsync(string jobId, string kind, string text, CancellationToken cancellationToken)
    {
        var entity = new JobEventEntity
        {
            TenantId = Tenant,
            JobId = jobId,
            Kind = kind,
            Data = JsonSerializer.Serialize(new JobOutputEvent { Data = text }, CordonJsonContext.Default.JobOutputEvent),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.JobEvents.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(entity).State = EntityState.Detached;
        await CountStoredAsync(jobId, Encoding.UTF8.GetByteCount(text), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        hub.Pulse(jobId);
    }

    /// <summary>Counts bytes the job stored elsewhere (its artifacts) against its tenant's storage quota.</summary>
    public async Task AddStoredBytesAsync(string jobId, long bytes, CancellationToken cancellationToken)
    {
        if (bytes <= 0)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await CountStoredAsync(jobId, bytes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The job's stdout and stderr, assembled in order from its stored output events (empty once they expired).
    /// </summary>
    public async Task<JobOutput> GetOutputAsync(string jobId, CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var chunks = db.JobEvents.AsNoTracking()
            .Where(e => e.TenantId == Tenant && e.JobId == jobId && (e.Kind == JobEventTypes.Stdout || e.Kind == JobEventTypes.Stderr))
            .OrderBy(e => e.Id)
            .Select(e => new { e.Kind, e.Data })
            .AsAsyncEnumerable();
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            var text = JsonSerializer.Deserialize(chunk.Data, CordonJsonContext.Default.JobOutputEvent)?.Data;
            (chunk.Kind == JobEventTypes.Stderr ? stderr : stdout).Append(text);
        }

        return new JobOutput(stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Moves the job to <paramref name="to"/> when the transition goes forward, setting <paramref name="set"/> in the
    /// same update; returns the updated job, or null when the job is missing or already past that point.
    /// </summary>
    public async Task<JobEntity?> TryMoveAsync(string jobId, JobStatus to, Action<UpdateSettersBuilder<JobEntity>>? set, CancellationToken cancellationToken)
    {
        var final = to.IsTerminal();
        var now = timeProvider.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Jobs
            .Where(j => j.TenantId == Tenant && j.Id == jobId)
            .Where(JobTransitions.CanMoveTo(to))
            .ExecuteUpdateAsync(
                setters =>
                {
                    setters.SetProperty(j => j.Status, to).SetProperty(j => j.Version, j => j.Version + 1);
                    if (final)
                    {
                        setters.SetProperty(j => j.FinishedAt, (DateTimeOffset?)now);
                    }

                    set?.Invoke(setters);
                },
                cancellationToken);
        if (moved == 0)
        {
            return null;
        }

        var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.TenantId == Tenant && j.Id == jobId, cancellationToken);
        db.JobEvents.Add(StatusEvent(job));
        if (final)
        {
            // Data stays empty: the reader serves the Job as it is then, its output assembled from the output
            // events, so the output is not stored a second time inside this event.
            db.JobEvents.Add(new JobEventEntity { TenantId = job.TenantId, JobId = job.Id, Kind = JobEventTypes.Result, Data = "" });
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        if (final)
        {
            var finished = new JobFinished(job.TenantId, job.Id, job.SessionId, job.Status);
            foreach (var listener in listeners)
            {
                await listener.OnJobFinishedAsync(finished, db, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        hub.Pulse(jobId, final);
        return job;
    }
    public Task<List<JobEventEntity>> EventsAfterAsync(string jobId, long afterId, int take, CancellationToken cancellationToken) =>
        db.JobEvents.AsNoTracking()
            .Where(e => e.TenantId == Tenant && e.JobId == jobId && e.Id > afterId)
            .OrderBy(e => e.Id)
            .Take(take)
            .ToListAsync(cancellationToken);

    /// <summary>A page of jobs, newest first, without their compile output (the summary has no output).</summary>
    public async Task<(List<JobEntity> Items, string? Next)> ListAsync(JobStatus? status, int limit, string? afterId, CancellationToken cancellationToken)
    {
        var query = db.Jobs.AsNoTracking().Where(j => j.TenantId == Tenant);
        if (status is { } wanted)
        {
            query = query.Where(j => j.Status == wanted);
        }

        if (afterId is not null)
        {
            query = query.Where(j => string.Compare(j.Id, afterId) < 0);
        }

        // A page never reads the output columns: 200 jobs of 64 MiB each would be read for nothing.
        var items = await query.OrderByDescending(j => j.Id).Take(limit + 1)
            .Select(j => new JobEntity
            {
                Id = j.Id,
                TenantId = j.TenantId,
                SessionId = j.SessionId,
                Language = j.Language,
                Status = j.Status,
                RunnerId = j.RunnerId,
                ExitCode = j.ExitCode,
                Signal = j.Signal,
                StdoutTruncated = j.StdoutTruncated,
                StderrTruncated = j.StderrTruncated,
                DurationMs = j.DurationMs,
                CpuMs = j.CpuMs,
                PeakMemoryBytes = j.PeakMemoryBytes,
                ArtifactsJson = j.ArtifactsJson,
                EgressConnections = j.EgressConnections,
                EgressDenied = j.EgressDenied,
                EgressBytesOut = j.EgressBytesOut,
                EgressBytesIn = j.EgressBytesIn,
                Error = j.Error,
                StoredBytes = j.StoredBytes,
                OutputExpiredAt = j.OutputExpiredAt,
                CreatedAt = j.CreatedAt,
                StartedAt = j.StartedAt,
                FinishedAt = j.FinishedAt,
                Version = j.Version,
            })
            .ToListAsync(cancellationToken);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = items[^1].Id;
        }

        return (items, next);
    }

    private async Task CountStoredAsync(string jobId, long bytes, CancellationToken cancellationToken)
    {
        await db.Jobs.Where(j => j.TenantId == Tenant && j.Id == jobId)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.StoredBytes, j => j.StoredBytes + bytes), cancellationToken);
        await TenantStorage.AddAsync(db, Tenant, bytes, cancellationToken);
    }

    private static JobEventEntity StatusEvent(JobEntity job) => new()
    {
        TenantId = job.TenantId,
        JobId = job.Id,
        Kind = JobEventTypes.Status,
        Data = JsonSerializer.Serialize(new JobStatusEvent { Status = job.Status, Error = job.Error }, CordonJsonContext.Default.JobStatusEvent),
    };
}
