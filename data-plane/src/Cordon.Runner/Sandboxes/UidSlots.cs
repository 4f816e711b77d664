namespace Cordon.Runner.Sandboxes;

/// <summary>
/// Hands out uid-range slots so no two live sandboxes on a host share host ids — also across runner processes:
/// a slot is an exclusive lock on a file under /run, held for the sandbox's life.
/// </summary>
internal sealed class UidSlots(string lockDirectory, int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, FileStream> _held = [];
    private int _next;

    public int Acquire()
    {
        Directory.CreateDirectory(lockDirectory);
        lock (_lock)
        {
            for (var attempt = 0; attempt < capacity * 4; attempt++)
            {
                var slot = (_next++ % (capacity * 4)) + 1;
                if (_held.ContainsKey(slot))
                {
                    continue;
                }

                try
                {
                    _held[slot] = new FileStream(Path.Combine(lockDirectory, $"{slot}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return slot;
                }
                catch (IOException)
                {
                    // another runner process holds it
                }
            }
        }

        throw new SandboxCapacityException("no free uid slot on this host");
    }

    public void Release(int slot)
    {
        lock (_lock)
        {
            if (_held.Remove(slot, out var stream))
            {
                stream.Dispose();
            }
        }
    }
}
