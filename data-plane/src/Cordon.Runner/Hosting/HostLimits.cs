using System.Globalization;
using System.Runtime.InteropServices;

namespace Cordon.Runner.Hosting;

/// <summary>
/// Host-wide limits a full runner reaches: every sandbox's tasks come out of <c>kernel.pid_max</c> and
/// <c>kernel.threads-max</c>, every inotify instance made in any sandbox is charged to root (the owner of their
/// user namespaces) against <c>fs.inotify.max_user_instances</c>, and the runner holds fds per sandbox. What root
/// may raise is raised at start; what stays short is worded for health.
/// </summary>
internal static partial class HostLimits
{
    private const int RlimitNofile = 7;

    /// <summary>Tasks the host keeps for itself beyond the sandboxes' share.</summary>
    private const long HostTasks = 8192;

    public static IReadOnlyList<string> Raise(int capacity, long tasksPerSandbox, string procSys = "/proc/sys")
    {
        var gaps = new List<string>();
        var tasks = (capacity * tasksPerSandbox) + HostTasks;
        RaiseSysctl(procSys, "kernel/pid_max", Math.Min(tasks, 4_194_304), gaps, $"{capacity} sandboxes of up to {tasksPerSandbox} tasks");
        RaiseSysctl(procSys, "kernel/threads-max", tasks, gaps, $"{capacity} sandboxes of up to {tasksPerSandbox} tasks");
        RaiseSysctl(procSys, "fs/inotify/max_user_instances", Math.Max(8192, capacity * 16L), gaps, "inotify instances of every sandbox count against root");
        RaiseSysctl(procSys, "fs/inotify/max_user_watches", Math.Max(524_288, capacity * 1024L), gaps, "inotify watches of every sandbox count against root");
        RaiseOpenFiles(Math.Max(65_536, capacity * 64L), gaps);
        return gaps;
    }

    private static void RaiseSysctl(string procSys, string key, long wanted, List<string> gaps, string why)
    {
        var path = Path.Combine(procSys, key);
        if (!File.Exists(path) || !long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var current) || current >= wanted)
        {
            return;
        }

        try
        {
            File.WriteAllText(path, wanted.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            gaps.Add($"host sysctl {key.Replace('/', '.')} is {current}, below the {wanted} a full runner needs ({why}); the runner could not raise it: {e.Message}");
        }
    }

    private static void RaiseOpenFiles(long wanted, List<string> gaps)
    {
        if (getrlimit(RlimitNofile, out var limit) != 0 || limit.Current >= (ulong)wanted)
        {
            return;
        }

        var raised = new RLimit { Current = (ulong)wanted, Maximum = Math.Max(limit.Maximum, (ulong)wanted) };
        if (setrlimit(RlimitNofile, in raised) != 0)
        {
            gaps.Add($"the runner's open-file limit is {limit.Current}/{limit.Maximum}, below the {wanted} a full runner needs; raise LimitNOFILE for its service");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit limit);
}
