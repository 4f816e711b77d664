using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Reads and writes jobs and their events for the current tenant. Every status change goes through
/// <see cref="TryMoveAsync"/>, which applies <see cref="JobTransitions"/> and records the status event (and, for a
/// final status, the result event) in the same save.
/// </summary>
internal sealed class JobStore(CordonDbContext db, RequestContext context, JobEventHub hub, TimeProvider timeProvider)
{
    private string Tenant => context.RequiredTenant;

    public Task<JobEntity?> FindAsync(string jobId, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.TenantId == Tenant && j.Id == jobId, cancellationToken);

    public async Task AddAsync(JobEntity job, CancellationToken cancellationToken)
    {
        db.Jobs.Add(job);
        db.JobEvents.Add(StatusEvent(job));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task AppendOutputAsync(string jobId, string kind, string text, CancellationToken cancellationToken)
    {
        var entity = new JobEventEntity
        {
            TenantId = Tenant,
            JobId = jobId,
            Kind = kind,
            Data = JsonSerializer.Serialize(new JobOutputEvent { Data = text }, CordonJsonContext.Default.JobOutputEvent),
        };
        db.JobEvents.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(entity).State = EntityState.Detached;
        hub.Pulse(jobId);
    }

    /// <summary>
    /// Moves the job to <paramref name="to"/> when the transition goes forward, applying <paramref name="apply"/>
    /// first; returns the updated job, or null when the job is missing or already past that point.
    /// </summary>
    public async Task<JobEntity?> TryMoveAsync(string jobId, JobStatus to, Action<JobEntity>? apply, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            db.ChangeTracker.Clear();
            var job = await db.Jobs.FirstOrDefaultAsync(j => j.TenantId == Tenant && j.Id == jobId, cancellationToken);
            if (job is null || !JobTransitions.CanMove(job.Status, to))
            {
                return null;
            }

            apply?.Invoke(job);
            job.Status = to;
            job.Version++;
            var final = to.IsTerminal();
            if (final)
            {
                job.FinishedAt ??= timeProvider.GetUtcNow();
            }

            db.JobEvents.Add(StatusEvent(job));
            if (final)
            {
                db.JobEvents.Add(new JobEventEntity
                {
                    TenantId = job.TenantId,
                    JobId = job.Id,
                    Kind = JobEventKinds.Result,
                    Data = JsonSerializer.Serialize(job.ToContract(), CordonJsonContext.Default.Job),
                });
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                continue;
            }

            db.ChangeTracker.Clear();
            hub.Pulse(jobId, final);
            return job;
        }

        return null;
    }

    public Task<List<JobEventEntity>> EventsAfterAsync(string jobId, long afterId, int take, CancellationToken cancellationToken) =>
        db.JobEvents.AsNoTracking()
            .Where(e => e.TenantId == Tenant && e.JobId == jobId && e.Id > afterId)
            .OrderBy(e => e.Id)
            .Take(take)
            .ToListAsync(cancellationToken);

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

        var items = await query.OrderByDescending(j => j.Id).Take(limit + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = items[^1].Id;
        }

        return (items, next);
    }

    private static JobEventEntity StatusEvent(JobEntity job) => new()
    {
        TenantId = job.TenantId,
        JobId = job.Id,
        Kind = JobEventKinds.Status,
        Data = JsonSerializer.Serialize(new JobStatusEvent { Status = job.Status, Error = job.Error }, CordonJsonContext.Default.JobStatusEvent),
    };
}
