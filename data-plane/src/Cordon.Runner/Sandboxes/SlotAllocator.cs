namespace Cordon.Runner.Sandboxes;

/// <summary>
/// Hands out sandbox slots; slot n owns host ids <c>UidBase + n × 65536</c> … +65535, so no two live sandboxes
/// share a host uid (RLIMIT_NPROC, the kernel keyring and signals are all per uid).
/// </summary>
internal sealed class SlotAllocator(int capacity)
{
    private readonly bool[] _used = new bool[capacity];
    private readonly Lock _lock = new();
    private int _next;

    public int Capacity => capacity;

    public int InUse { get; private set; }

    public bool TryAcquire(out int slot)
    {
        lock (_lock)
        {
            for (var i = 0; i < capacity; i++)
            {
                // Round-robin so a just-freed range is reused last, after its processes are surely gone.
                var candidate = (_next + i) % capacity;
                if (!_used[candidate])
                {
                    _used[candidate] = true;
                    _next = candidate + 1;
                    InUse++;
                    slot = candidate;
                    return true;
                }
            }
        }

        slot = -1;
        return false;
    }

    public void Release(int slot)
    {
        lock (_lock)
        {
            if (_used[slot])
            {
                _used[slot] = false;
                InUse--;
            }
        }
    }
}
