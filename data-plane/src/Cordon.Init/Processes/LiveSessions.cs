using System.Collections.Concurrent;

namespace Cordon.Init.Processes;

/// <summary>
/// Which processes a straggler sweep must spare: the sessions of requests still running (each program is a
/// session leader, so its pid is its session id) and the REPL drivers kept between requests.
/// </summary>
internal sealed class LiveSessions
{
    private readonly ConcurrentDictionary<int, byte> _sessions = new();
    private readonly ConcurrentDictionary<int, byte> _drivers = new();

    /// <summary>Held while spawning and registering, and while a sweep scans and kills.</summary>
    public Lock Gate { get; } = new();

    public void AddSession(int sid) => _sessions[sid] = 0;

    public void RemoveSession(int sid) => _sessions.TryRemove(sid, out _);

    public void AddDriver(int pid) => _drivers[pid] = 0;

    public void RemoveDriver(int pid) => _drivers.TryRemove(pid, out _);

    public bool IsSpared(int pid, int sid) => _drivers.ContainsKey(pid) || _sessions.ContainsKey(sid);
}
