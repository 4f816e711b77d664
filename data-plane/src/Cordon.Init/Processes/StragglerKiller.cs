using System.Globalization;
using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>
/// Kills what a finished request left behind: every descendant of the agent except the protected ones —
/// persistent interpreters, and the sessions of requests still running. Inside a sandbox every process is a
/// descendant of PID 1; on a host (tests) the descendant check keeps unrelated processes safe.
/// </summary>
internal sealed class StragglerKiller
{
    private readonly Lock _lock = new();
    private readonly HashSet<int> _protectedPids = [];
    private readonly Dictionary<int, int> _activeSessions = [];
    private readonly int _self = Environment.ProcessId;

    public void ProtectPid(int pid)
    {
        lock (_lock)
        {
            _protectedPids.Add(pid);
        }
    }

    public void UnprotectPid(int pid)
    {
        lock (_lock)
        {
            _protectedPids.Remove(pid);
        }
    }

    /// <summary>Marks a session (a request's process tree) as running; dispose to end it.</summary>
    public IDisposable ActiveSession(int sid)
    {
        lock (_lock)
        {
            _activeSessions[sid] = _activeSessions.GetValueOrDefault(sid) + 1;
        }

        return new SessionLease(this, sid);
    }

    /// <summary>SIGKILLs a whole process group.</summary>
    public static void KillGroup(int pgid) => Libc.kill(-pgid, Libc.SIGKILL);

    /// <summary>Kills every unprotected descendant, repeating while new ones appear (a forking program races us).</summary>
    public void KillStragglers()
    {
        for (var round = 0; round < 20; round++)
        {
            HashSet<int> protectedPids;
            HashSet<int> activeSessions;
            lock (_lock)
            {
                protectedPids = [.. _protectedPids];
                activeSessions = [.. _activeSessions.Keys];
            }

            var killed = 0;
            foreach (var process in Descendants())
            {
                if (protectedPids.Contains(process.Pid) || activeSessions.Contains(process.Sid))
                {
                    continue;
                }

                Libc.kill(process.Pid, Libc.SIGKILL);
                killed++;
            }

            if (killed == 0)
            {
                return;
            }

            Thread.Sleep(round < 5 ? 1 : 10);
        }
    }

    private List<ProcessEntry> Descendants()
    {
        var all = new Dictionary<int, ProcessEntry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != _self
                && ReadStat(pid) is { } entry)
            {
                all[pid] = entry;
            }
        }

        var result = new List<ProcessEntry>();
        foreach (var entry in all.Values)
        {
            var parent = entry.Ppid;
            for (var depth = 0; depth < 512 && parent > 0; depth++)
            {
                if (parent == _self)
                {
                    if (entry.State != 'Z')
                    {
                        result.Add(entry);
                    }

                    break;
                }

                parent = all.TryGetValue(parent, out var up) ? up.Ppid : 0;
            }
        }

        return result;
    }

    private static ProcessEntry? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new ProcessEntry(pid, fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private readonly record struct ProcessEntry(int Pid, char State, int Ppid, int Sid);

    private sealed class SessionLease(StragglerKiller owner, int sid) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (owner._lock)
            {
                if (owner._activeSessions[sid] <= 1)
                {
                    owner._activeSessions.Remove(sid);
                }
                else
                {
                    owner._activeSessions[sid]--;
                }
            }
        }
    }
}
