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

        // gVisor's procfs (this release) checks no ptrace access for another uid's environ and maps (mem it does check),
        // and runsc ignores maskedPaths; a bind over /proc/1/* would detach /proc/1 from the agent itself. The agent's
        // environment is the bundle's fixed PATH/LANG/HOME, so what leaks is the agent's address layout.
        gaps.Add("runsc: a job can read /proc/1/environ, /proc/1/maps and list /proc/1/fd of the sandbox's agent (gVisor does not check that it may inspect another uid's process there); the agent's environment holds no secrets, its address layout is visible");

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
