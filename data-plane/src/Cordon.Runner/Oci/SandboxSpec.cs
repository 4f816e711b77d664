using Cordon.Runner.Dependencies;
using Cordon.Runner.Runtimes;

namespace Cordon.Runner.Oci;

/// <summary>Everything the bundle generator needs to know about one sandbox.</summary>
internal sealed record SandboxSpec(
    string Id,
    int HostIdBase,
    EffectiveLimits Limits,
    string RootfsPath,
    string InitPath,
    string RuntimesPath,
    string HostUsr,
    long MaxCpuSeconds)
{
    /// <summary>The host directory holding the egress proxy's socket, bound at <c>/run/cordon-egress</c>; null: no egress.</summary>
    public string? EgressDirectory { get; init; }

    /// <summary>Installed packages bound at <see cref="PackageMount.InSandbox"/>; null: none.</summary>
    public PackageMount? Packages { get; init; }

    /// <summary>The host directory of the CA files (<c>EgressTrustFiles</c>), bound at <c>/etc/ssl/certs</c>; null: no egress.</summary>
    public string? TrustDirectory { get; init; }

    /// <summary>The uid and gid every program of the job runs as, inside the sandbox's user namespace.</summary>
    public const int SandboxUid = 1000;

    /// <summary>The agent's uid and gid inside: not the job's, and unprivileged on the host (base + 0).</summary>
    public const int AgentUid = 0;

    /// <summary>
    /// The agent's capabilities, in its user namespace only: SETUID/SETGID/SETPCAP for cordon-spawn to drop a
    /// program to the job's ids with an empty bounding set, KILL to end the job's processes (another uid).
    /// </summary>
    public static readonly IReadOnlyList<string> AgentCapabilities = ["CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_KILL"];

    public const string InitInSandbox = "/opt/cordon/cordon-init";

    /// <summary>Where file secrets appear (a tmpfs of its own); cordon-init's <c>SecretFiles</c> writes there.</summary>
    public const string SecretsInSandbox = "/run/secrets";

    public const string SpawnHelperInSandbox = "/opt/cordon/cordon-spawn";

    /// <summary>cordon-spawn is built and published next to cordon-init.</summary>
    public string SpawnHelperPath => Path.Combine(Path.GetDirectoryName(InitPath)!, "cordon-spawn");

    /// <summary>Ids mapped per sandbox: container 0..65535.</summary>
    public const int IdRangeSize = 65536;

    public string CgroupsPath => $"/cordon/{Id}";
}
