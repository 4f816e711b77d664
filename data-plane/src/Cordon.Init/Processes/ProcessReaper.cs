using System.Globalization;
using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>
/// Kills what a request left behind: a process group first, then every descendant of the agent that no live
/// request or REPL driver owns, found by scanning <c>/proc</c>. On a host (tests) only descendants are touched.
/// </summary>
internal sealed class ProcessReaper(LiveSessions live)
{
    private static readonly int Self = Libc.getpid();

    public static void KillGroup(int pgid) => Libc.kill(-pgid, Libc.SIGKILL);

    public static void Kill(int pid) => Libc.kill(pid, Libc.SIGKILL);

    /// <summary>Kills stragglers until a scan finds none (a process may fork between scan and kill).</summary>
    public async Task KillStragglersAsync(CancellationToken cancellationToken)
    {
        for (var round = 0; round < 50; round++)
        {
            lock (live.Gate)
            {
                var victims = FindStragglers();
                if (victims.Count == 0)
                {
                    return;
                }

                victims.ForEach(Kill);
            }

            await Task.Delay(round < 5 ? 1 : 20, cancellationToken);
        }
    }

    /// <summary>Kills every descendant of the agent (shutdown).</summary>
    public static void KillAllDescendants()
    {
        for (var round = 0; round < 50; round++)
        {
            var victims = Scan().Where(p => p.IsDescendant).Select(p => p.Pid).ToList();
            if (victims.Count == 0)
            {
                return;
            }

            victims.ForEach(Kill);
            Thread.Sleep(5);
        }
    }

    private List<int> FindStragglers() =>
        [.. Scan().Where(p => p.IsDescendant && !live.IsSpared(p.Pid, p.Sid)).Select(p => p.Pid)];

    private static List<(int Pid, int Sid, bool IsDescendant)> Scan()
    {
        var table = new Dictionary<int, (int Ppid, int Sid)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Self)
            {
                continue;
            }

            var stat = ReadStat(pid);
            if (stat is { } s)
            {
                table[pid] = s;
            }
        }

        var result = new List<(int, int, bool)>();
        foreach (var (pid, (_, sid)) in table)
        {
            result.Add((pid, sid, IsDescendant(pid, table)));
        }

        return result;
    }

    private static bool IsDescendant(int pid, Dictionary<int, (int Ppid, int Sid)> table)
    {
        for (var hops = 0; hops < 4096 && table.TryGetValue(pid, out var entry); hops++)
        {
            if (entry.Ppid == Self)
            {
                return true;
            }

            pid = entry.Ppid;
        }

        return false;
    }

    /// <summary>Parses <c>/proc/pid/stat</c>; null for zombies (already dead) and vanished processes.</summary>
    private static (int Ppid, int Sid)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp session ..." where comm may contain spaces and parentheses.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 4 || fields[0] == "Z" || fields[0] == "X")
        {
            return null;
        }

        return (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
    }
}
