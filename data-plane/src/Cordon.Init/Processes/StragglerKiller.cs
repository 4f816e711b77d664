using System.Diagnostics;
using System.Globalization;
using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>
/// Kills what a finished request left behind: every descendant of the agent except the protected ones —
/// persistent interpreters, and the sessions of requests still running. Inside a sandbox every process is a
/// descendant of PID 1; on a host (tests) the descendant check keeps unrelated processes safe.
/// </summary>
/// <remarks>
/// Root cause of the lost output after a cancelled exec (issue 8): a sweep round copied the registry, then walked
/// /proc and killed whatever was not in the copy, while a new request registered its session only after
/// posix_spawn had returned. The runner's cancel returned at once, so the cancelled request's sweep ran while the
/// next request was spawning, and killed the new program between clone and registration (seen in the agent's log:
/// the sweep SIGKILLed the new pid, still named cordon-init, 0.5 ms before it was registered; the exec ended SIGKILL
/// with no output, 9 runs in 15). Now spawn + registration and every sweep round hold one lock.
/// </remarks>
internal sealed class StragglerKiller
{
    /// <summary>How long a sweep keeps at it before it reports that something outran it.</summary>
    private static readonly TimeSpan SweepBudget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReapPatience = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly HashSet<int> _protectedPids = [];
    private readonly Dictionary<int, int> _activeSessions = [];
    private readonly int _self = Environment.ProcessId;

    /// <summary>
    /// Starts a request's program and marks its session running, as one step no sweep can fall between; dispose
    /// the lease when the request ends.
    /// </summary>
    public (SpawnedProcess Process, IDisposable Lease) StartActive(Func<SpawnedProcess> spawn)
    {
        lock (_lock)
        {
            var process = spawn();
            return (process, Register(process.Pid));
        }
    }

    /// <summary>Starts a persistent process (an interpreter) that sweeps leave alone until <see cref="UnprotectPid"/>.</summary>
    public SpawnedProcess StartProtected(Func<SpawnedProcess> spawn)
    {
        lock (_lock)
        {
            var process = spawn();
            _protectedPids.Add(process.Pid);
            return process;
        }
    }

    public void UnprotectPid(int pid)
    {
        lock (_lock)
        {
            _protectedPids.Remove(pid);
        }
    }

    /// <summary>Marks the session of an already running (protected) process as running a request; dispose to end it.</summary>
    public IDisposable ActiveSession(int sid)
    {
        lock (_lock)
        {
            return Register(sid);
        }
    }

    /// <summary>
    /// Ends a request: its session stops counting as running, its process group is killed at once (one kill the
    /// kernel applies to the whole group — a fork racing it fails — so a plain fork bomb cannot outrun it), and
    /// whatever left the group is swept.
    /// </summary>
    public void EndRequest(IDisposable lease, int pgid)
    {
        lock (_lock)
        {
            lease.Dispose();
            // The leader may have been reaped and its pid reused by a new request's program: a registered
            // session with that id is not ours to kill.
            if (!_activeSessions.ContainsKey(pgid) && !_protectedPids.Contains(pgid))
            {
                KillGroup(pgid);
            }
        }

        if (!KillStragglers())
        {
            StderrLine.Write($"the sweep after request {pgid} ran out of time; stragglers may remain until the next one");
        }
    }

    /// <summary>SIGKILLs a whole process group (atomic in the kernel: a fork racing it fails).</summary>
    public static void KillGroup(int pgid) => Libc.kill(-pgid, Libc.SIGKILL);

    /// <summary>
    /// Kills every unprotected descendant. A forking program races a plain kill loop — each kill frees a pid for
    /// the survivors — so stragglers are stopped first: a process with SIGSTOP pending can no longer fork (the
    /// kernel aborts a fork racing a signal) and keeps its pid, so the pids limit holds the rest back. Rounds go
    /// on until one finds no straggler it has not already stopped; then all of them get SIGKILL.
    /// </summary>
    /// <returns>False when the budget ran out first (what was found is killed; something may have outrun it).</returns>
    public bool KillStragglers()
    {
        var clock = Stopwatch.StartNew();
        var stopped = new HashSet<int>();
        var converged = false;
        for (var round = 0; clock.Elapsed < SweepBudget; round++)
        {
            if (StopRound(stopped) == 0)
            {
                converged = true;
                break;
            }

            Thread.Sleep(round < 3 ? 0 : 1);
        }

        KillStopped(stopped);
        WaitGone(stopped, clock);
        return converged;
    }

    /// <summary>One pass under the lock: stops every straggler not stopped yet; returns how many it found.</summary>
    private int StopRound(HashSet<int> stopped)
    {
        lock (_lock)
        {
            var found = 0;
            foreach (var process in Descendants())
            {
                if (IsOwned(process) || !stopped.Add(process.Pid))
                {
                    continue;
                }

                Libc.kill(process.Pid, Libc.SIGSTOP);
                found++;
            }

            return found;
        }
    }

    private void KillStopped(HashSet<int> stopped)
    {
        lock (_lock)
        {
            foreach (var pid in stopped)
            {
                // Re-read under the lock: a stopped straggler the OOM killer took may have left its pid to a new
                // request's program, which must not be hit.
                if (ReadStat(pid) is { } process && !IsOwned(process))
                {
                    Libc.kill(pid, Libc.SIGKILL);
                }
            }
        }
    }

    /// <summary>Waits (briefly) until the killed are reaped, so the next request never sees them in ps.</summary>
    private void WaitGone(HashSet<int> killed, Stopwatch clock)
    {
        var deadline = clock.Elapsed + ReapPatience;
        while (killed.Count > 0 && clock.Elapsed < deadline)
        {
            lock (_lock)
            {
                killed.RemoveWhere(pid => ReadStat(pid) is not { } process || process.State is 'Z' or 'X' || IsOwned(process));
            }

            if (killed.Count > 0)
            {
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>True for what a sweep must leave alone: a persistent interpreter, or a process of a running request.</summary>
    private bool IsOwned(ProcessEntry process) => _protectedPids.Contains(process.Pid) || _activeSessions.ContainsKey(process.Sid);

    private SessionLease Register(int sid)
    {
        _activeSessions[sid] = _activeSessions.GetValueOrDefault(sid) + 1;
        return new SessionLease(this, sid);
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
                    if (entry.State is not 'Z' and not 'X')
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
