using System.Collections.Concurrent;
using Cordon.ControlPlane.Quotas;
using Cordon.ControlPlane.Scheduling;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// The dispatcher and its workers. Jobs run here, not in the request, so a client that disconnects never cancels its
/// job. One loop picks the next job fairly (<see cref="JobQueue.Candidates"/>: across tenants, least recently served
/// first) among those that can start now — a runner with the runtime has free capacity, which is reserved at once, and
/// the tenant is under its <c>concurrentJobs</c> quota — and hands it to one of <c>MaxConcurrency</c> workers. A job
/// that cannot start stays queued and is offered again when work ends, work arrives, or after a short recheck
/// (capacity another replica freed). A job whose runtime no runner has is dispatched all the same: the executor waits
/// for one and ends the job with the reason.
/// </summary>
internal sealed class JobRunner(
    JobQueue queue,
    JobExecutor executor,
    JobQuotas quotas,
    RunnerRegistry registry,
    JobCancellations cancellations,
    IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<JobRunner> logger)
    : BackgroundService
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var workers = new SemaphoreSlim(options.Value.MaxConcurrency);
        try
        {
            while (true)
            {
                await workers.WaitAsync(stoppingToken);
                if (!await DispatchOneAsync(workers, stoppingToken))
                {
                    workers.Release();
                    await queue.WaitAsync(Recheck, timeProvider, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the running jobs end (cancelled by StopAsync) before the workers are gone.
        }

        await Task.WhenAll(_running.Values);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        cancellations.CancelAll(CancelReason.Shutdown, "the control plane is shutting down");
        await base.StopAsync(cancellationToken);
    }

    private async Task<bool> DispatchOneAsync(SemaphoreSlim workers, CancellationToken stoppingToken)
    {
        foreach (var item in queue.Candidates())
        {
            RunnerState? placed = null;
            // Cancelled while queued: taken off at once, without capacity or a slot; the executor only records the end.
            if (item is OneShotJobWork && !cancellations.Register(item.JobId).IsCancellationRequested)
            {
                if (registry.Place(item.Language) is { } runner)
                {
                    if (runner.FreeCapacity <= 0)
                    {
                        continue; // this runtime is full; another tenant's job may use another
                    }

                    runner.Acquire();
                    placed = runner;
                }

                if (!await TryStartAsync(item, stoppingToken))
                {
                    placed?.Release();
                    continue;
                }
            }

            if (!queue.TryTake(item))
            {
                // Only this loop takes from the queue: cannot happen, but a slot is never kept for a job not taken.
                placed?.Release();
                await quotas.FinishedAsync(item);
                continue;
            }

            _running[item.JobId] = Task.Run(() => RunAsync(item, placed, workers, stoppingToken), CancellationToken.None);
            return true;
        }

        return false;
    }

    private async Task<bool> TryStartAsync(JobWorkItem item, CancellationToken stoppingToken)
    {
        try
        {
            return await quotas.TryStartAsync(item, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The counters did not answer: the job stays queued and is offered again.
            JobsLog.DispatchDeferred(logger, item.JobId, ex.Message);
            return false;
        }
    }

    private async Task RunAsync(JobWorkItem item, RunnerState? placed, SemaphoreSlim workers, CancellationToken stoppingToken)
    {
        try
        {
            await executor.RunAsync(item, stoppingToken, placed);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            JobsLog.WorkerCrashed(logger, ex);
        }
        finally
        {
            await quotas.FinishedAsync(item);
            _running.TryRemove(item.JobId, out _);
            workers.Release();
            queue.Signal();
        }
    }
}
