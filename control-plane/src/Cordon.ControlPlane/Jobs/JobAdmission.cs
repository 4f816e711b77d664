using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Quotas;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// The way into the job workers, for one-shot jobs and session executions alike: the tenant's storage quota is
/// checked (over → 429), a queued slot of the tenant's <c>queuedJobs</c> quota is taken (over → 429), a place in the
/// bounded queue is reserved (full → 429 before anything is stored), then the job is stored queued and handed over, so a
/// stored queued job is always enqueued.
/// </summary>
internal sealed class JobAdmission(
    JobStore store, JobQueue queue, JobCancellations cancellations, StorageQuotaGate storageQuota, JobQuotas quotas, TimeProvider timeProvider)
{
    public async Task<Job> AdmitAsync(JobWorkItem work, IdempotencyKeyEntity? key, CancellationToken cancellationToken)
    {
        await storageQuota.EnsureRoomAsync(work.Tenant, cancellationToken);
        await using var queued = await quotas.ReserveQueuedAsync(work, cancellationToken);
        using var reservation = queue.Reserve();
        var job = NewEntity(work);
        await store.AddAsync(job, key, cancellationToken);
        cancellations.Register(job.Id);
        reservation.Enqueue(work);
        queued.Keep();
        return job.ToContract(JobOutput.None);
    }

    /// <summary>Stores a job the policy refused, already <c>rejected</c>; it never reaches a worker.</summary>
    public async Task<Job> RejectAsync(JobWorkItem work, IdempotencyKeyEntity? key, string? reason, CancellationToken cancellationToken)
    {
        var job = NewEntity(work);
        await store.AddAsync(job, key, cancellationToken);
        var rejected = await store.TryMoveAsync(job.Id, JobStatus.Rejected, set => set.SetProperty(j => j.Error, reason), cancellationToken);
        return (rejected ?? job).ToContract(JobOutput.None);
    }

    private JobEntity NewEntity(JobWorkItem work) => new()
    {
        Id = work.JobId,
        TenantId = work.Tenant,
        SessionId = (work as SessionExecutionWork)?.SessionId,
        Language = work.Language,
        Status = JobStatus.Queued,
        CreatedAt = timeProvider.GetUtcNow(),
    };
}
