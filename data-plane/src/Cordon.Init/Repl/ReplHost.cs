using System.Collections.Concurrent;
using Cordon.Init.Processes;

namespace Cordon.Init.Repl;

/// <summary>
/// The persistent interpreters, one per distinct argv, each behind a gate so its requests run one at a time.
/// </summary>
internal sealed class ReplHost(ProcessSpawner spawner)
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public Slot For(IReadOnlyList<string> argv) => _slots.GetOrAdd(string.Join('\0', argv), static _ => new Slot());

    /// <summary>Returns the slot's live driver, starting one (with this request's environment) if there is none.</summary>
    public ReplDriver Ensure(Slot slot, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env)
    {
        if (slot.Driver is { } existing && !existing.Process.Exit.IsCompleted)
        {
            return existing;
        }

        slot.Driver?.Dispose();
        slot.Driver = null;
        var process = spawner.Start(new SpawnOptions(argv, env, "/workspace", ReplFds: true));
        process.Stdin.Dispose(); // Code gets its stdin through the request; the interpreter itself sees EOF.
        slot.Driver = new ReplDriver(process);
        return slot.Driver;
    }

    internal sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ReplDriver? Driver { get; set; }
    }
}
