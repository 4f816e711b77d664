using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>
/// Reaps every child and orphan (the agent is PID 1, or a subreaper on a host) on one dedicated thread and hands
/// each exit status to whoever waits for that pid. Registration happens under the spawn lock, so a child that
/// exits at once is never reaped before its waiter exists.
/// </summary>
internal sealed unsafe class ChildReaper
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _waiters = new();
    private readonly SemaphoreSlim _childSpawned = new(0);
    private readonly Lock _spawnLock = new();

    public void Start()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "reaper" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="spawn"/> (which returns a pid or throws) and registers a waiter for it.</summary>
    public (int Pid, Task<int> Exit) Spawn(Func<int> spawn)
    {
        lock (_spawnLock)
        {
            var pid = spawn();
            var waiter = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters[pid] = waiter;
            _childSpawned.Release();
            return (pid, waiter.Task);
        }
    }

    private void Loop()
    {
        while (true)
        {
            int status;
            var pid = Libc.waitpid(-1, &status, 0);
            if (pid > 0)
            {
                lock (_spawnLock)
                {
                    if (_waiters.TryRemove(pid, out var waiter))
                    {
                        waiter.TrySetResult(status);
                    }
                }

                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.ECHILD)
            {
                _childSpawned.Wait();
            }
            else if (errno != Libc.EINTR)
            {
                Console.Error.WriteLine($"cordon-init: waitpid failed with errno {errno}");
                Thread.Sleep(100);
            }
        }
    }
}
