namespace Cordon.Runner.Oci;

/// <summary>
/// What the host's cgroup tree offers the bundle: the unified (v2) tree or v1 hierarchies, and the huge page
/// sizes a <c>hugetlb</c> controller can limit (none when the controller is not mounted).
/// </summary>
internal sealed record CgroupLayout(bool Unified, IReadOnlyList<string> HugePageSizes, IReadOnlyList<string> V1Controllers)
{
    /// <summary>The v1 controllers bound read-only into a sandbox (those the host mounts) so runtimes can size themselves to its limits.</summary>
    private static readonly string[] SandboxV1Controllers = ["memory", "cpu", "cpuacct", "pids"];

    public static CgroupLayout Detect(string root = "/sys/fs/cgroup", string hugePages = "/sys/kernel/mm/hugepages")
    {
        var unified = File.Exists(Path.Combine(root, "cgroup.controllers"));
        var hugetlb = unified
            ? File.ReadAllText(Path.Combine(root, "cgroup.controllers")).Split(' ', StringSplitOptions.TrimEntries).Contains("hugetlb")
            : Directory.Exists(Path.Combine(root, "hugetlb"));
        return new CgroupLayout(
            unified,
            hugetlb ? PageSizes(hugePages) : [],
            unified ? [] : [.. SandboxV1Controllers.Where(c => Directory.Exists(Path.Combine(root, c)))]);
    }

    /// <summary>The kernel's huge page sizes in the runtime-spec's spelling ("2MB", "1GB").</summary>
    public static IReadOnlyList<string> PageSizes(string hugePages)
    {
        if (!Directory.Exists(hugePages))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(hugePages, "hugepages-*kB")
            .Select(d => long.Parse(Path.GetFileName(d)["hugepages-".Length..^"kB".Length], System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .Select(kb => kb >= 1024 * 1024 ? $"{kb / (1024 * 1024)}GB" : kb >= 1024 ? $"{kb / 1024}MB" : $"{kb}KB")];
    }
}
