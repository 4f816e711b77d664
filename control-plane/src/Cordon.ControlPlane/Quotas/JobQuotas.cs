using System.Globalization;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The job quotas: a one-shot job holds a <c>queuedJobs</c> slot from admission until it starts, then a
/// <c>concurrentJobs</c> slot until it ends (holder: the job id). Admission over <c>queuedJobs</c> is refused (429);
/// a job over <c>concurrentJobs</c> waits queued, and the dispatcher tries again when a slot frees. Session executions
/// are counted by the sessions they run in (<c>concurrentSessions</c>, one execution at a time) and take no job slot.
/// </summary>
internal sealed class JobQuotas(
    IQuotaCounters counters,
    TenantQuotaResolver resolver,
    HeldQuotaSlots held,
    IOptions<QuotaOptions> options,
    ILogger<JobQuotas> logger)
{
    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>Takes the job's queued slot, or throws 429 naming the quota.</summary>
    public async Task<QuotaSlot> ReserveQueuedAsync(JobWorkItem work, CancellationToken cancellationToken)
    {
        if (work is not OneShotJobWork)
        {
            return QuotaSlot.None;
        }

        var quotas = await resolver.GetAsync(work.Tenant, cancellationToken);
        if (quotas.ConcurrentJobs == 0)
        {
            // It would wait for ever: say so now rather than accept a job that cannot start.
            throw Exceeded(QuotaNames.ConcurrentJobs, 0,
                $"Tenant '{work.Tenant}' may run no jobs (quota {QuotaNames.ConcurrentJobs} is 0); an administrator must raise it in the tenant's policy.");
        }

        if (!await counters.TryAcquireAsync(QuotaNames.QueuedJobs, work.Tenant, work.JobId, quotas.QueuedJobs, Lease, cancellationToken))
        {
            throw Exceeded(QuotaNames.QueuedJobs, quotas.QueuedJobs, string.Create(CultureInfo.InvariantCulture,
                $"Tenant '{work.Tenant}' already has {quotas.QueuedJobs} jobs waiting to start (quota {QuotaNames.QueuedJobs}); retry after some of them have started, or wait for them with 'wait: true'."));
        }

        held.Add(QuotaNames.QueuedJobs, work.Tenant, work.JobId);
        return new QuotaSlot(() => ReleaseAsync(QuotaNames.QueuedJobs, work.Tenant, work.JobId));
    }

    /// <summary>
    /// Takes a running slot for a queued job and gives its queued slot back; false when the tenant runs as many jobs
    /// as it may (the job stays queued).
    /// </summary>
    public async Task<bool> TryStartAsync(JobWorkItem work, CancellationToken cancellationToken)
    {
        if (work is not OneShotJobWork)
        {
            return true;
        }

        var quotas = await resolver.GetAsync(work.Tenant, cancellationToken);
        if (!await counters.TryAcquireAsync(QuotaNames.ConcurrentJobs, work.Tenant, work.JobId, quotas.ConcurrentJobs, Lease, cancellationToken))
        {
            return false;
        }

        held.Add(QuotaNames.ConcurrentJobs, work.Tenant, work.JobId);
        await ReleaseAsync(QuotaNames.QueuedJobs, work.Tenant, work.JobId);
        return true;
    }

    /// <summary>
    /// The job ended (or was taken off the queue cancelled, before it started): its slots are free for the tenant's
    /// next.
    /// </summary>
    public async Task FinishedAsync(JobWorkItem work)
    {
        if (work is OneShotJobWork)
        {
            await ReleaseAsync(QuotaNames.ConcurrentJobs, work.Tenant, work.JobId);
            await ReleaseAsync(QuotaNames.QueuedJobs, work.Tenant, work.JobId);
        }
    }

    private QuotaExceededException Exceeded(string quota, double limit, string message) =>
        new(quota, limit, message, TimeSpan.FromSeconds(options.Value.RetryAfterSeconds));

    private async ValueTask ReleaseAsync(string quota, string tenant, string holder)
    {
        held.Remove(quota, tenant, holder);
        try
        {
            // Not the request's token: a slot is given back even when the client went away.
            await counters.ReleaseAsync(quota, tenant, holder, CancellationToken.None);
        }
        catch (QuotaCountersUnavailableException exception)
        {
            QuotasLog.ReleaseFailed(logger, exception, quota, holder);
        }
    }
}
