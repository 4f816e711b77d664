using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// The background workers that take jobs off the queue. Jobs run here, not in the request, so a client that
/// disconnects never cancels its job.
/// </summary>
internal sealed class JobRunner(JobQueue queue, JobExecutor executor, JobCancellations cancellations, IOptions<JobsOptions> options, ILogger<JobRunner> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.MaxConcurrency).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        cancellations.CancelAll(CancelReason.Shutdown, "the control plane is shutting down");
        await base.StopAsync(cancellationToken);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stoppingToken))
            {
                queue.Taken();
                try
                {
                    await executor.RunAsync(item, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    JobsLog.WorkerCrashed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
