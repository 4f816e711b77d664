using System.Globalization;

namespace Cordon.Runner.Tests;

/// <summary>Looks at the host for what a sandbox may have left behind.</summary>
internal static class HostProbe
{
    public static IReadOnlyList<string> Leftovers(string dataDir, string sandboxId)
    {
        var found = new List<string>();
        foreach (var controller in Directory.GetDirectories("/sys/fs/cgroup"))
        {
            var dir = Path.Combine(controller, "cordon", sandboxId);
            if (Directory.Exists(dir))
            {
                found.Add($"cgroup {dir}");
            }
        }

        found.AddRange(File.ReadLines("/proc/self/mountinfo").Where(l => l.Contains(sandboxId, StringComparison.Ordinal)).Select(l => $"mount {l}"));
        if (File.Exists($"/run/netns/cordon-{sandboxId}"))
        {
            found.Add("netns");
        }

        if (Directory.Exists(Path.Combine(dataDir, "sandboxes", sandboxId)))
        {
            found.Add("state dir");
        }

        if (Directory.Exists(Path.Combine(dataDir, "oci", sandboxId)))
        {
            found.Add("runc state");
        }

        return found;
    }

    /// <summary>Host processes whose real uid lies in [<paramref name="first"/>, first + 65536).</summary>
    public static IReadOnlyList<string> ProcessesInUidRange(long first)
    {
        var found = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                if (status.Any(l => l.StartsWith("State:\tZ", StringComparison.Ordinal)))
                {
                    // A zombie has left its cgroup and runs nothing; host init reaps it.
                    continue;
                }

                var uidLine = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                var uid = long.Parse(uidLine!.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                if (uid >= first && uid < first + 65536)
                {
                    found.Add($"{Path.GetFileName(dir)} uid {uid} {File.ReadAllText(Path.Combine(dir, "comm")).Trim()}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NullReferenceException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }
}
