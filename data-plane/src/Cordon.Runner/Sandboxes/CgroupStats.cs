using System.Globalization;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// Reads CPU time, peak memory and OOM kills of a sandbox's cgroup — v1 controllers (this host's hybrid layout)
/// or the v2 unified tree — and checks that a destroyed sandbox left none behind.
/// </summary>
internal sealed class CgroupStats(string root = "/sys/fs/cgroup")
{
    private readonly bool _unified = File.Exists(Path.Combine(root, "cgroup.controllers"));

    public CgroupSnapshot Read(string cgroupsPath)
    {
        var relative = cgroupsPath.TrimStart('/');
        if (_unified)
        {
            var dir = Path.Combine(root, relative);
            return new CgroupSnapshot(
                KeyedValue(Path.Combine(dir, "cpu.stat"), "usage_usec") * 1000,
                Number(Path.Combine(dir, "memory.peak")),
                KeyedValue(Path.Combine(dir, "memory.events"), "oom_kill"));
        }

        return new CgroupSnapshot(
            Number(Path.Combine(root, "cpuacct", relative, "cpuacct.usage")),
            Number(Path.Combine(root, "memory", relative, "memory.max_usage_in_bytes")),
            KeyedValue(Path.Combine(root, "memory", relative, "memory.oom_control"), "oom_kill"));
    }

    /// <summary>Starts a fresh peak-memory window (v1 only; v2's memory.peak is per cgroup life on older kernels).</summary>
    public void ResetPeak(string cgroupsPath)
    {
        if (!_unified)
        {
            try
            {
                File.WriteAllText(Path.Combine(root, "memory", cgroupsPath.TrimStart('/'), "memory.max_usage_in_bytes"), "0");
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Every directory of this cgroup path that still exists, in any hierarchy.</summary>
    public IReadOnlyList<string> Leftovers(string cgroupsPath)
    {
        var relative = cgroupsPath.TrimStart('/');
        if (_unified)
        {
            var dir = Path.Combine(root, relative);
            return Directory.Exists(dir) ? [dir] : [];
        }

        return [.. Directory.EnumerateDirectories(root).Select(h => Path.Combine(h, relative)).Where(Directory.Exists)];
    }

    /// <summary>How many processes are still in this cgroup path or below it, in any hierarchy (0 once it is gone).</summary>
    public int Processes(string cgroupsPath)
    {
        var count = 0;
        foreach (var dir in Leftovers(cgroupsPath))
        {
            try
            {
                foreach (var procs in Directory.EnumerateFiles(dir, "cgroup.procs", SearchOption.AllDirectories))
                {
                    count += File.ReadLines(procs).Count(line => line.Length > 0);
                }
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                // removed while we looked: empty
            }
        }

        return count;
    }

    /// <summary>Removes empty leftover cgroup directories (after a crash), deepest first.</summary>
    public void RemoveLeftovers(string cgroupsPath)
    {
        foreach (var dir in Leftovers(cgroupsPath))
        {
            foreach (var child in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
            {
                TryRemove(child);
            }

            TryRemove(dir);
        }
    }

    private static void TryRemove(string dir)
    {
        try
        {
            Directory.Delete(dir);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long Number(string path)
    {
        try
        {
            return long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static long KeyedValue(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[0] == key)
                {
                    return long.Parse(parts[1].Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
