using System.Globalization;
using Cordon.Runner.Configuration;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// The default number of sandboxes a runner holds: what the host's memory carries at the footprint of an idle
/// sandbox, never more uid slots than the host has. Each sandbox's own memory limit caps what a busy one takes;
/// the memory cgroup, not this count, is what keeps sandboxes from starving the host.
/// </summary>
internal static class CapacityPlanner
{
    /// <summary>
    /// Host memory counted per sandbox: an idle one costs about 3 MiB (measured: 512 sleeping sandboxes on this
    /// 24 GiB host, ConcurrencyTests); the rest is headroom for the jobs they run.
    /// </summary>
    public const long BytesPerSandbox = 32L * 1024 * 1024;

    /// <summary>Memory left to the host, the runner and the control plane before sandboxes are counted.</summary>
    public const long ReservedBytes = 2L * 1024 * 1024 * 1024;

    public const int Maximum = 4096;

    public static int Resolve(RunnerOptions options) => options.Capacity > 0 ? options.Capacity : Default(MemTotalBytes(), options.UidSlots);

    public static int Default(long memTotalBytes, int uidSlots) =>
        (int)Math.Clamp(Math.Min((memTotalBytes - ReservedBytes) / BytesPerSandbox, uidSlots), 1, Maximum);

    public static long MemTotalBytes(string meminfo = "/proc/meminfo")
    {
        foreach (var line in File.ReadLines(meminfo))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                return long.Parse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidDataException($"{meminfo} has no MemTotal line");
    }
}
