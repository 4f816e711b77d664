namespace Cordon.Runner.SecurityTests;

/// <summary>Processes of the host, read from its /proc: what runs a sandbox, as seen from outside it.</summary>
internal static class HostProcesses
{
    /// <summary>The real uids of the host processes whose argv[0] is <paramref name="name"/>.</summary>
    public static IEnumerable<string> RealUidsOf(string name)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _) || Read(Path.Combine(dir, "cmdline")).Split('\0')[0] != name)
            {
                continue;
            }

            var uid = Read(Path.Combine(dir, "status")).Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, var real, ..] ? real : null;
            if (uid is not null)
            {
                yield return uid;
            }
        }
    }

    /// <summary>A /proc file's text, or empty when the process is gone.</summary>
    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
