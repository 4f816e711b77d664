using Cordon.Runner.Runtimes;

namespace Cordon.Runner.Oci;

/// <summary>What the bundle generator needs to know about one sandbox.</summary>
internal sealed record SandboxSpec
{
    public required string Id { get; init; }
    public required string RootfsPath { get; init; }
    /// <summary>Host uid/gid that container id 0 maps to; the range is 65536 wide.</summary>
    public required long HostIdBase { get; init; }
    public required RuntimeLimits Limits { get; init; }
    public required string InitPath { get; init; }
    public required string RuntimesPath { get; init; }
    /// <summary>Host directory (a small tmpfs) bind-mounted at <c>/run/cordon</c>.</summary>
    public required string AgentRunDir { get; init; }
    /// <summary>The pre-made network namespace (<c>/run/netns/cordon-&lt;id&gt;</c>).</summary>
    public required string NetnsPath { get; init; }
    /// <summary>Absolute cgroup path, e.g. <c>/cordon/&lt;id&gt;</c>.</summary>
    public required string CgroupsPath { get; init; }
    /// <summary>RLIMIT_CPU in seconds: a backstop only; the cgroup and the wall clock stay authoritative.</summary>
    public required long CpuSeconds { get; init; }
}
