using System.Text;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// Hands out uid-range slots so no two live sandboxes on a host share host ids — also across runner processes
/// and runner crashes: a slot is an exclusive lock on a file under /run, held for the sandbox's life, and the file
/// names the sandbox's state. A crashed runner's locks die with it while its sandboxes live on; the name keeps
/// every other runner off such a slot until the owner's leftovers are reaped (<see cref="Reclaim"/>).
/// </summary>
internal sealed class UidSlots(string lockDirectory, int slotCount)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, FileStream> _held = [];
    private int _next;

    public int SlotCount => slotCount;

    /// <summary>Locks a free slot for a sandbox whose state lives in <paramref name="ownerPaths"/> (any that exists means alive).</summary>
    public int Acquire(IReadOnlyList<string> ownerPaths)
    {
        Directory.CreateDirectory(lockDirectory, HostFileModes.Private);
        lock (_lock)
        {
            for (var attempt = 0; attempt < slotCount; attempt++)
            {
                var slot = (_next++ % slotCount) + 1;
                if (_held.ContainsKey(slot) || TryLock(slot) is not { } stream)
                {
                    continue;
                }

                if (Owners(stream).Any(Path.Exists))
                {
                    stream.Dispose(); // a crashed runner's sandbox still lives in this range
                    continue;
                }

                WriteOwners(stream, ownerPaths);
                _held[slot] = stream;
                return slot;
            }
        }

        throw new SandboxCapacityException("no free uid slot on this host");
    }

    /// <summary>
    /// Locks the slot a leftover sandbox (state in <paramref name="ownerPaths"/>) still holds by name, so nothing
    /// reuses its range while it is reaped. Null when no slot names it, or another process holds that slot.
    /// </summary>
    public int? Reclaim(IReadOnlyList<string> ownerPaths)
    {
        if (!Directory.Exists(lockDirectory))
        {
            return null;
        }

        lock (_lock)
        {
            foreach (var file in Directory.EnumerateFiles(lockDirectory, "*.lock"))
            {
                if (!int.TryParse(Path.GetFileNameWithoutExtension(file), out var slot) || _held.ContainsKey(slot) || TryLock(slot) is not { } stream)
                {
                    continue;
                }

                if (Owners(stream).Intersect(ownerPaths, StringComparer.Ordinal).Any())
                {
                    _held[slot] = stream;
                    return slot;
                }

                stream.Dispose();
            }
        }

        return null;
    }

    /// <summary>Frees a slot: only once its sandbox's teardown verified that nothing of it runs any more.</summary>
    public void Release(int slot)
    {
        lock (_lock)
        {
            if (_held.Remove(slot, out var stream))
            {
                WriteOwners(stream, []);
                stream.Dispose();
            }
        }
    }

    private FileStream? TryLock(int slot)
    {
        try
        {
            return new FileStream(Path.Combine(lockDirectory, $"{slot}.lock"), new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException)
        {
            return null; // another runner process holds it
        }
    }

    private static string[] Owners(FileStream stream)
    {
        stream.Position = 0;
        var buffer = new byte[(int)Math.Min(stream.Length, 64 * 1024)];
        stream.ReadExactly(buffer);
        return Encoding.UTF8.GetString(buffer).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void WriteOwners(FileStream stream, IReadOnlyList<string> ownerPaths)
    {
        stream.SetLength(0);
        stream.Write(Encoding.UTF8.GetBytes(string.Concat(ownerPaths.Select(p => p + "\n"))));
        stream.Flush(flushToDisk: true);
    }
}
