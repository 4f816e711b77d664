using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Jobs;

/// <summary>Reads the current tenant's jobs: one (with its output), or a page of summaries.</summary>
internal sealed class JobReader(JobStore store)
{
    /// <summary>The job with its stdout and stderr, assembled from the stored output events.</summary>
    public async Task<Job> GetAsync(string jobId, CancellationToken cancellationToken) =>
        await WithOutputAsync(await store.FindAsync(jobId, cancellationToken) ?? throw NotFound(jobId), cancellationToken);

    public async Task<Job> WithOutputAsync(JobEntity job, CancellationToken cancellationToken) =>
        job.ToContract(await store.GetOutputAsync(job.Id, cancellationToken));

    /// <summary>Checks the job exists for this tenant (before a response starts streaming).</summary>
    public async Task EnsureExistsAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!await store.ExistsAsync(jobId, cancellationToken))
        {
            throw NotFound(jobId);
        }
    }

    public async Task<JobPage> ListAsync(JobListQuery query, CancellationToken cancellationToken)
    {
        var (items, next) = await store.ListAsync(query.Status, query.Limit, query.AfterId, cancellationToken);
        return new JobPage { Items = [.. items.Select(j => j.ToSummary())], Next = next is null ? null : Cursors.Encode(next) };
    }

    public static NotFoundException NotFound(string jobId) => new($"There is no job '{jobId}'.");
}
