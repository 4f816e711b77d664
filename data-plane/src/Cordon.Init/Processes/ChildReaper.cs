using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>
/// Reaps every child of the agent — its own and the orphans that reparent to it as PID 1 (or as subreaper) — on
/// one dedicated thread, and hands each wait status to whoever started that pid. Starting a child and
/// registering for its status happen under one lock, so a program that exits at once is never missed, and an
/// orphan's status is simply dropped.
/// </summary>
internal sealed unsafe class ChildReaper
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, TaskCompletionSource<int>> _waiters = [];
    private readonly SemaphoreSlim _childrenExist = new(0);

    public void Start()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "reaper" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="spawn"/> (which returns a pid, or throws) and returns the pid's raw wait status task.</summary>
    public (int Pid, Task<int> Exited) Track(Func<int> spawn)
    {
        int pid;
        var waiter = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            pid = spawn();
            _waiters[pid] = waiter;
        }

        _childrenExist.Release();
        return (pid, waiter.Task);
    }

    private void Loop()
    {
        while (true)
        {
            int status;
            var pid = Libc.waitpid(-1, &status, 0);
            if (pid > 0)
            {
                Deliver(pid, status);
                continue;
            }

            var errno = Libc.Errno;
            if (errno == Libc.ECHILD)
            {
                _childrenExist.Wait(100);
            }
            else if (errno != Libc.EINTR)
            {
                Thread.Sleep(10);
            }
        }
    }

    private void Deliver(int pid, int status)
    {
        TaskCompletionSource<int>? waiter;
        lock (_lock)
        {
            _waiters.Remove(pid, out waiter);
        }

        waiter?.TrySetResult(status);
    }
}
