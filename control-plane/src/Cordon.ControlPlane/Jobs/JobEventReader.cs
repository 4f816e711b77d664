using System.Runtime.CompilerServices;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Follows a job as it runs: its stored events and then live ones, or just its end. Woken by
/// <see cref="JobEventHub"/> pulses, with a periodic re-check for jobs another process drives.
/// </summary>
internal sealed class JobEventReader(JobStore store, JobReader reader, JobEventHub hub, TimeProvider timeProvider)
{
    // The re-check covers a job finished by another replica or process, which this hub does not hear of.
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(2);

    /// <summary>Waits until the job has finished. Cancelling the wait leaves the job running.</summary>
    public async Task<Job> WaitAsync(string jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pulse = hub.NextPulse(jobId);
            // Only the status while it runs: every stored chunk pulses, and the output is assembled once, at the end.
            var job = await store.FindAsync(jobId, cancellationToken) ?? throw JobReader.NotFound(jobId);
            if (job.Status.IsTerminal())
            {
                return await reader.WithOutputAsync(job, cancellationToken);
            }

            await pulse.WaitAsync(Recheck, timeProvider, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// The job's events after <paramref name="lastEventId"/>, then live ones as they are stored, ending with the
    /// result event. Works the same during and after the job.
    /// </summary>
    public async IAsyncEnumerable<JobEventEntity> ReadAsync(string jobId, long lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = lastEventId;
        while (true)
        {
            var pulse = hub.NextPulse(jobId);
            var events = await store.EventsAfterAsync(jobId, after, 500, cancellationToken);
            foreach (var item in events)
            {
                after = item.Id;
                if (item.Kind == JobEventTypes.Result)
                {
                    yield return await ResultAsync(item, cancellationToken);
                    yield break;
                }

                yield return item;
            }

            if (events.Count == 0)
            {
                var job = await store.FindAsync(jobId, cancellationToken);
                if (job is null || job.Status.IsTerminal())
                {
                    // Finished without a result event after this point (the client already has it, or an old job).
                    yield break;
                }

                await pulse.WaitAsync(Recheck, timeProvider, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>
    /// The result event with the Job as stored now — output assembled from the output events (stored once, not in
    /// the event), or marked expired once the retention sweep deleted it.
    /// </summary>
    private async Task<JobEventEntity> ResultAsync(JobEventEntity item, CancellationToken cancellationToken)
    {
        var job = await reader.GetAsync(item.JobId, cancellationToken);
        return new JobEventEntity
        {
            Id = item.Id,
            TenantId = item.TenantId,
            JobId = item.JobId,
            Kind = item.Kind,
            Data = JsonSerializer.Serialize(job, CordonJsonContext.Default.Job),
        };
    }
}
