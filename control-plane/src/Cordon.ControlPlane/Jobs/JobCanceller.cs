using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Jobs;

/// <summary><c>POST /v1/jobs/{id}/cancel</c>: stops a queued or running job; a finished job is returned unchanged.</summary>
internal sealed class JobCanceller(JobStore store, JobCancellations cancellations, JobEventReader events, JobReader reader)
{
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(15);

    public async Task<Job> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(jobId, cancellationToken) ?? throw JobReader.NotFound(jobId);
        if (job.Status.IsTerminal())
        {
            return await reader.WithOutputAsync(job, cancellationToken);
        }

        if (job.Status == JobStatus.Queued)
        {
            cancellations.Cancel(jobId, CancelReason.Client);
            if (await store.TryMoveAsync(jobId, JobStatus.Cancelled, set => set.SetProperty(j => j.Error, "cancelled before it started"), cancellationToken) is { } cancelled)
            {
                return cancelled.ToContract(JobOutput.None); // it never ran: no output
            }
        }

        if (!cancellations.Cancel(jobId, CancelReason.Client))
        {
            // Not driven by this process (a restart or another replica); nothing can stop it from here.
            throw new ConflictException($"Job '{jobId}' is running on another control-plane process and cannot be cancelled from this one.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EndWait);
        try
        {
            return await events.WaitAsync(jobId, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await reader.GetAsync(jobId, cancellationToken);
        }
    }
}
