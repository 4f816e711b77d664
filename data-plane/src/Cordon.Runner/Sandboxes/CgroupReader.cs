using System.Globalization;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// Reads a sandbox cgroup's CPU time, peak memory and OOM-kill counter: cgroup v1 hierarchies
/// (<c>cpuacct.usage</c>, <c>memory.max_usage_in_bytes</c>, <c>memory.oom_control</c>) or the v2 unified tree
/// (<c>cpu.stat</c>, <c>memory.peak</c>, <c>memory.events</c>).
/// </summary>
internal sealed class CgroupReader(string cgroupPath, string root = "/sys/fs/cgroup")
{
    public static bool IsUnified(string root = "/sys/fs/cgroup") => File.Exists(Path.Combine(root, "cgroup.controllers"));

    private readonly bool _v2 = IsUnified(root);

    /// <summary>The directories runc creates for this cgroup, in every hierarchy.</summary>
    public IEnumerable<string> Directories() => _v2
        ? [Dir(null)]
        : new[] {"cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer", "blkio", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc", "systemd" }
            .Select(Dir).Where(Directory.Exists);

    public CgroupUsage Read()
    {
        if (_v2)
        {
            var usec = Field(Text(Path.Combine(Dir(null), "cpu.stat")), "usage_usec");
            return new CgroupUsage(usec * 1000, Number(Path.Combine(Dir(null), "memory.peak")), Field(Text(Path.Combine(Dir(null), "memory.events")), "oom_kill"));
        }

        return new CgroupUsage(
            Number(Path.Combine(Dir("cpuacct"), "cpuacct.usage")),
            Number(Path.Combine(Dir("memory"), "memory.max_usage_in_bytes")),
            Field(Text(Path.Combine(Dir("memory"), "memory.oom_control")), "oom_kill"));
    }

    /// <summary>Starts a new peak-memory window (v1 only; v2's memory.peak is lifetime-wide).</summary>
    public void ResetPeak()
    {
        if (!_v2)
        {
            try
            {
                File.WriteAllText(Path.Combine(Dir("memory"), "memory.max_usage_in_bytes"), "0");
            }
            catch (IOException)
            {
                // The counter stays cumulative; usage is then an upper bound.
            }
        }
    }

    private string Dir(string? controller) =>
        controller is null ? Path.Combine(root, cgroupPath.TrimStart('/')) : Path.Combine(root, controller, cgroupPath.TrimStart('/'));

    private static string Text(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static long Number(string path) =>
        long.TryParse(Text(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static long Field(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == name && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return 0;
    }
}
