using System.Text.RegularExpressions;
using Cordon.Runner.Hosting;

namespace Cordon.Runner.Oci;

/// <summary>Start-up check of the OCI runtime: its version and the SECURITY.md gaps that version leaves open.</summary>
internal static partial class OciRuntimeProbe
{
    public static async Task<OciRuntimeInfo> ProbeAsync(string binary, CancellationToken cancellationToken)
    {
        var result = await Command.RunAsync(binary, ["--version"], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{binary} --version' failed: {result.Stderr.Trim()}");
        }

        var name = Path.GetFileName(binary);
        var match = VersionPattern().Match(result.Stdout);
        var version = match.Success ? match.Groups[1].Value : "unknown";
        return new OciRuntimeInfo(name, version, KnownGaps(name, match.Success ? match.Groups[1].Value : null, result.Stdout));
    }

    internal static IReadOnlyList<string> KnownGaps(string name, string? version, string versionText)
    {
        var gaps = new List<string>();
        if (name == "runsc")
        {
            return gaps;
        }

        if (name == "runc" && Version.TryParse(version, out var v))
        {
            var debianBackport = versionText.Contains("deb12u", StringComparison.Ordinal);
            if (v < new Version(1, 1, 12) && !debianBackport)
            {
                gaps.Add("CVE-2024-21626 (leaked fd / host cwd): runc < 1.1.12; upgrade runc.");
            }

            if (v < new Version(1, 2, 8))
            {
                gaps.Add("CVE-2025-31133, CVE-2025-52565, CVE-2025-52881 (mount races): fixed in runc 1.2.8/1.3.3; mitigated here by runner-built read-only root filesystems and no shared writable mounts.");
            }
        }

        if (!File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            gaps.Add("cgroup v1: no memory.oom.group or cgroup.kill; sandboxes are frozen and killed process by process.");
        }

        gaps.Add("Shared host kernel: kernel bugs in allowed syscalls are reachable; use runsc or a microVM for strict tenancy.");
        return gaps;
    }

    [GeneratedRegex(@"version\s+v?(\d+\.\d+(?:\.\d+)?)")]
    private static partial Regex VersionPattern();
}
