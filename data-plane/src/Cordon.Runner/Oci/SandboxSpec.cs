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
    string AgentRunDirectory,
    string HostUsr,
    long MaxCpuSeconds)
{
    /// <summary>The uid and gid every process of the sandbox runs as, inside its user namespace.</summary>
    public const int SandboxUid = 1000;

    /// <summary>Ids mapped per sandbox: container 0..65535.</summary>
    public const int IdRangeSize = 65536;

    public string CgroupsPath => $"/cordon/{Id}";
}
