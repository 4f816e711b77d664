using Cordon.Runner.Configuration;

namespace Cordon.Runner.Oci;

/// <summary>The OCI runtime's global flags: configured (<c>Cordon:Runner:RuntimeFlags</c>), else per runtime.</summary>
internal static class OciRuntimeFlags
{
    /// <summary>
    /// runsc's defaults (SECURITY.md, runsc specifics): <c>--network=none</c> — runsc refuses to run with a network
    /// it would share with the host ("cannot run with network enabled in root network namespace"), and none gives
    /// a loopback-only stack inside the Sentry like runc's empty netns; <c>--platform=ptrace</c> runs everywhere
    /// (systrap or kvm are faster where the runsc release and host offer them); <c>--host-uds=open</c> lets a sandbox
    /// connect to a host socket bound into it — the one such socket is its egress proxy's (a sandbox without egress has
    /// none, and the runner's binds hold no other: a probe checks), <c>create</c> stays refused, host FIFOs stay closed
    /// (the agent's channel is an inherited fd, not a host socket path); <c>--oci-seccomp</c> applies
    /// the bundle's seccomp profile inside the Sentry too, so a job meets the same syscall filter as under runc
    /// (<see cref="RunscBundle"/> adapts the profile to what this release's filter can express).
    /// </summary>
    public static readonly IReadOnlyList<string> RunscDefaults =
        ["--network=none", "--platform=ptrace", "--host-uds=open", "--host-fifo=none", "--oci-seccomp"];

    public static IReadOnlyList<string> Resolve(RunnerOptions options) =>
        options.RuntimeFlags is { Length: > 0 } configured ? configured
        : IsRunsc(options.OciRuntime) ? RunscDefaults
        : [];

    public static bool IsRunsc(string binary) => Path.GetFileName(binary) == "runsc";
}
