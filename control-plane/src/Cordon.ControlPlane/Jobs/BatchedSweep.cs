namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// The loop of the retention sweeps: a round every <paramref name="interval"/>, and while a round comes back with a
/// full batch, another at once (one bounded round at a time). A failed round is reported and the next tick tries again.
/// </summary>
internal static class BatchedSweep
{
    public static async Task RunAsync(Func<CancellationToken, Task<int>> sweepOnce, int batchSize, TimeSpan interval, TimeProvider time, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                while (await sweepOnce(stoppingToken) == batchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                failed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
