namespace Cordon.Init.Processes;

/// <summary>Tasks to race against a program's end: a wall-clock limit and the runner hanging up.</summary>
internal static class Deadline
{
    /// <summary>Completes after <paramref name="timeoutMs"/> (never when 0); quietly ends when stopped.</summary>
    public static Task Start(long timeoutMs, TimeProvider time, CancellationToken stop)
    {
        var delay = timeoutMs > 0 ? TimeSpan.FromMilliseconds(timeoutMs) : Timeout.InfiniteTimeSpan;
        return Task.Delay(delay, time, stop).ContinueWith(static _ => { }, CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>Completes when <paramref name="cancellationToken"/> is cancelled.</summary>
    public static Task WhenCancelled(CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), completion);
        return completion.Task;
    }
}
