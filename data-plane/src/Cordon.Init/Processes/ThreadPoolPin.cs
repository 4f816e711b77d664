using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>
/// Makes every .NET thread-pool thread the agent will ever have at start-up and forbids more. A fork bomb takes
/// every pid of the sandbox, and then pthread_create fails; the pool answers a failed worker start with an
/// OutOfMemoryException on one of its own threads, which nothing can catch — PID 1 dies and the sandbox with it
/// (the bomb's execution ended with "the agent closed the connection"; issue 8). With minimum = maximum and the
/// threads kept alive (<c>ThreadsToKeepAlive=-1</c> in the project file) the pool never tries to start one.
/// </summary>
internal static class ThreadPoolPin
{
    /// <summary>Pool threads for async continuations and file requests; blocking work has its own threads.</summary>
    public const int Threads = 8;

    public static void Pin()
    {
        ThreadPool.GetMinThreads(out _, out var io);
        if (!ThreadPool.SetMaxThreads(Threads, io) || !ThreadPool.SetMinThreads(Threads, io))
        {
            StderrLine.Write($"could not pin the thread pool at {Threads} threads");
        }

        // Occupy every pool thread at once so the pool starts all of them now, while pids are free; the timer
        // thread starts with the first timer, so make one too. The two events are never disposed: a worker woken by
        // Set is still inside Wait when this method returns (and one that started late signals after it), and an
        // event disposed under it threw ObjectDisposedException on a pool thread — PID 1 died at start, about one
        // sandbox start in a thousand ("the agent closed the connection without a reply" on its first call).
        var started = new CountdownEvent(Threads);
        var release = new ManualResetEventSlim();
        for (var i = 0; i < Threads; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                _ =>
                {
                    started.Signal();
                    release.Wait(TimeSpan.FromSeconds(10));
                },
                null);
        }

        using (new Timer(_ => { }, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan))
        {
            started.Wait(TimeSpan.FromSeconds(10));
        }

        release.Set();
    }
}
