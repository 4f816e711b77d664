namespace Cordon.Runner.Oci;

/// <summary>
/// What the configured OCI runtime can and cannot do on this host, worded for operators and reported in health
/// next to the host's own gaps: the runtime's identity, platform and the behaviours Cordon works around.
/// </summary>
internal static class RuntimeGaps
{
    public static IReadOnlyList<string> Of(string binary, IReadOnlyList<string> flags)
    {
        if (!OciRuntimeFlags.IsRunsc(binary))
        {
            return [];
        }

        var gaps = new List<string>();
        var platform = flags.LastOrDefault(f => f.StartsWith("--platform=", StringComparison.Ordinal))?["--platform=".Length..] ?? "ptrace";
        if (platform == "ptrace")
        {
            gaps.Add(File.Exists("/dev/kvm")
                ? "runsc runs on the ptrace platform although /dev/kvm exists: --platform=kvm is much faster on bare metal"
                : "runsc runs on the ptrace platform (no /dev/kvm): every system call of a job costs a ptrace round trip");
        }

        if (!OciSeccomp(flags))
        {
            gaps.Add("runsc without --oci-seccomp: the bundle's seccomp profile is not applied inside the Sentry");
        }

        // gVisor's procfs (this release) checks no ptrace access for another uid's environ, maps and fd table (mem it
        // does check, and opening an fd through /proc: the host fds answer ENXIO, pipes EACCES), and runsc ignores
        // maskedPaths; a bind over /proc/1/* would detach /proc/1 from the agent itself. The agent's environment is the
        // bundle's fixed PATH/LANG/HOME, and what /proc/1/fd opens is only what the job opens by path itself
        // (AgentChannelProbesTests, ProcAndSysProbesTests prove both), so what leaks is the agent's address layout.
        gaps.Add("runsc: a job can read /proc/1/environ, /proc/1/maps and list /proc/1/fd of the sandbox's agent (gVisor does not check that it may inspect another uid's process there); the agent's environment is the fixed PATH/LANG/HOME, its fds open nothing the job cannot open by path, its address layout is visible");

        // This runsc ignores every tmpfs option but ro (its log: "ignoring unknown mount option"), so the Sentry's
        // /workspace and /tmp take no size= or nr_inodes=: a file's bytes stop at RLIMIT_FSIZE, and what the files
        // and inodes take in all is held by the sandbox's memory limit (their pages and the Sentry's inode objects are
        // the Sentry's memory, charged to the sandbox cgroup), not by a disk limit.
        gaps.Add("runsc: /workspace and /tmp have no size or inode cap of their own (this runsc ignores tmpfs size= and nr_inodes=); a file stops at the disk limit (RLIMIT_FSIZE), all files together and their inodes at the sandbox's memory limit");

        // The Sentry refuses AT_NO_AUTOMOUNT in statx and fstatat with EINVAL; coreutils pass it, glibc's statx
        // fallback to fstatat keeps it, and a filter cannot rewrite an argument.
        gaps.Add("runsc: coreutils' stat and ls fail with \"Invalid argument\" (this Sentry refuses the AT_NO_AUTOMOUNT flag of statx/fstatat); other programs' stat calls work");

        // The memory cgroup's OOM killer picks the Sentry (it holds the job's pages), so a job over its memory limit
        // ends the whole sandbox: the job reports memory_limit, a session's sandbox is gone with it.
        gaps.Add("runsc: a job over its memory limit ends its whole sandbox (the memory cgroup kills the Sentry): the job ends memory_limit, a session ends with it");

        // Resource limits come from host cgroups; the memory and pids cgroups of a runsc sandbox hold the Sentry and
        // gofer too, so usage numbers include them.
        gaps.Add("runsc: cgroup usage (cpu, peak memory) includes the Sentry and gofer, not only the job");
        return gaps;
    }

    /// <summary>Whether the last <c>--oci-seccomp</c> flag given turns it on (a bare flag or <c>=true</c>).</summary>
    private static bool OciSeccomp(IReadOnlyList<string> flags) =>
        flags.LastOrDefault(f => f == "--oci-seccomp" || f.StartsWith("--oci-seccomp=", StringComparison.Ordinal)) is { } flag
        && flag is "--oci-seccomp" or "--oci-seccomp=true";
}
