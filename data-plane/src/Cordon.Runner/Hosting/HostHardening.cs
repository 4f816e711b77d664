using System.Globalization;

namespace Cordon.Runner.Hosting;

/// <summary>
/// Checks the host settings SECURITY.md asks for (like runsc's host-settings check) and the OCI runtime's
/// version, and words each shortfall for operators; reported in health, never silently ignored.
/// </summary>
internal static class HostHardening
{
    private static readonly (string Key, long Minimum)[] Sysctls =
    [
        ("kernel/kptr_restrict", 2), ("kernel/dmesg_restrict", 1), ("kernel/perf_event_paranoid", 3),
        ("kernel/unprivileged_bpf_disabled", 1), ("vm/unprivileged_userfaultfd", 0), ("kernel/io_uring_disabled", 2),
        ("fs/protected_symlinks", 1), ("fs/protected_hardlinks", 1), ("fs/protected_fifos", 2), ("fs/protected_regular", 2),
        ("fs/suid_dumpable", 0),
    ];

    /// <summary>What the runner sets for itself: below zero, so the kernel's OOM killer takes sandboxes (1000) first.</summary>
    public const int RunnerOomScoreAdj = -500;

    /// <summary>
    /// Puts the runner at <see cref="RunnerOomScoreAdj"/>: under memory pressure the OOM killer must take a job,
    /// never the process that tears sandboxes down. runc and the sandboxes' agents set their own scores.
    /// </summary>
    /// <returns>The gap to report when the runner may not lower its score (it lacks CAP_SYS_RESOURCE), else null.</returns>
    public static string? ProtectFromOomKiller(string path = "/proc/self/oom_score_adj")
    {
        try
        {
            File.WriteAllText(path, RunnerOomScoreAdj.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var current = File.Exists(path) ? File.ReadAllText(path).Trim() : "unknown";
            return $"the runner could not set its oom_score_adj to {RunnerOomScoreAdj} (it is {current}; lowering it needs CAP_SYS_RESOURCE): set OOMScoreAdjust={RunnerOomScoreAdj} in its service unit; sandboxes' jobs still run at 1000";
        }
    }

    public static IReadOnlyList<string> KnownGaps(string ociRuntime)
    {
        var gaps = new List<string>();
        if (ociRuntime.StartsWith("runc ", StringComparison.Ordinal) && Version.TryParse(ociRuntime[5..].Split('+', '-')[0], out var version)
            && version < new Version(1, 2, 8))
        {
            gaps.Add($"{ociRuntime} lacks the November 2025 mount-race fixes (CVE-2025-31133, CVE-2025-52565, CVE-2025-52881; fixed in 1.2.8/1.3.3): root filesystems are runner-built and read-only and no writable mount is shared between sandboxes, but production nodes should run a current runc or runsc");
        }

        foreach (var (key, wanted) in Sysctls)
        {
            var path = Path.Combine("/proc/sys", key);
            if (!File.Exists(path))
            {
                continue;
            }

            var text = File.ReadAllText(path).Trim();
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && !Satisfies(key, value, wanted))
            {
                gaps.Add($"host sysctl {key.Replace('/', '.')} is {value}, hardened value {(key.EndsWith("userfaultfd", StringComparison.Ordinal) || key.EndsWith("suid_dumpable", StringComparison.Ordinal) ? "" : ">= ")}{wanted}");
            }
        }

        if (!File.Exists("/proc/sys/kernel/yama/ptrace_scope"))
        {
            gaps.Add("Yama is not enabled on the host (kernel.yama.ptrace_scope); sandboxes still deny ptrace by seccomp");
        }

        return gaps;
    }

    private static bool Satisfies(string key, long value, long wanted) =>
        key.EndsWith("userfaultfd", StringComparison.Ordinal) || key.EndsWith("suid_dumpable", StringComparison.Ordinal)
            ? value == wanted
            : value >= wanted;
}
