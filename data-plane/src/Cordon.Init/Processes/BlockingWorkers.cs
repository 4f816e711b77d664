using System.Collections.Concurrent;

namespace Cordon.Init.Processes;

/// <summary>
/// A fixed set of threads, all started with the agent, for the blocking work of requests (stdin writers, output
/// pumps, REPL runs). The agent shares the sandbox's pids limit with the job: once a fork bomb has taken every
/// pid, no new thread can be made — so the agent never needs one after start-up. With the pool's threads
/// (<see cref="ThreadPoolPin"/>) and the runtime's own the agent stays under 32 tasks, inside the 40 the runner adds
/// to a sandbox's pids limit for it.
/// </summary>
internal static class BlockingWorkers
{
    public const int Count = 16;
    private static readonly BlockingCollection<Action> Work = [];

    public static void Start()
    {
        for (var i = 0; i < Count; i++)
        {
            new Thread(Loop) { IsBackground = true, Name = $"worker-{i}" }.Start();
        }
    }

    public static Task Run(Action action) => Run(() =>
    {
        action();
        return true;
    });

    public static Task<T> Run<T>(Func<T> function)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try
            {
                completion.SetResult(function());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        });
        return completion.Task;
    }

    private static void Loop()
    {
        foreach (var action in Work.GetConsumingEnumerable())
        {
            action();
        }
    }
}
