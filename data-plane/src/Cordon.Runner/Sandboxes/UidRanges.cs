using System.Globalization;
using Cordon.Runner.Configuration;
using Cordon.Runner.Oci;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// The host id ranges the runner maps sandboxes to, checked against the subordinate ids the host gives its users:
/// a local user owning ids in a sandbox's range could enter that sandbox's processes (<c>/proc/&lt;pid&gt;/root</c>).
/// </summary>
internal static class UidRanges
{
    /// <summary>The last id a range may use: below 2^32 - 1 (the kernel's invalid id).</summary>
    private const long LastValidId = uint.MaxValue - 1;

    public static UidSlots Slots(RunnerOptions options)
    {
        var first = (long)options.UidBase + SandboxSpec.IdRangeSize; // slot 1
        var end = (long)options.UidBase + ((long)(options.UidSlots + 1) * SandboxSpec.IdRangeSize);
        if (end - 1 > LastValidId)
        {
            throw new RunnerStartupException($"Cordon:Runner:UidBase {options.UidBase} + {options.UidSlots} slots of {SandboxSpec.IdRangeSize} ids ends at {end - 1}, past the last valid id {LastValidId}: lower UidBase or UidSlots");
        }

        foreach (var file in options.SubIdFiles)
        {
            if (FindOverlap(file, first, end) is { } overlap)
            {
                throw new RunnerStartupException(
                    $"sandbox host ids {first}-{end - 1} (Cordon:Runner:UidBase {options.UidBase}, UidSlots {options.UidSlots}) overlap {file} line {overlap.Line} ('{overlap.Text}'): " +
                    "that user could reach sandboxes' processes. Set Cordon:Runner:UidBase (and UidSlots) to a range no user is given, or remove the entry");
            }
        }

        return new UidSlots(SandboxPaths.SlotLocks, options.UidSlots);
    }

    /// <summary>The first <c>name:start:count</c> line of a subid file whose range meets [first, end).</summary>
    public static (int Line, string Text)? FindOverlap(string file, long first, long end)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            var parts = line.Trim().Split(':');
            if (parts.Length == 3
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                && start < end && start + count > first)
            {
                return (number, line.Trim());
            }
        }

        return null;
    }
}
