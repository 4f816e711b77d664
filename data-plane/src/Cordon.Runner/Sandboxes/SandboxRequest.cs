using Cordon.Runner.Runtimes;

namespace Cordon.Runner.Sandboxes;

/// <summary>What a caller asks of a new sandbox.</summary>
internal sealed record SandboxRequest
{
    public required string Language { get; init; }
    public RuntimeLimits Limits { get; init; } = new();
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public string Tenant { get; init; } = "";
    public string OwnerId { get; init; } = "";
    /// <summary>True for a one-shot job: RLIMIT_CPU is then bound to the job's timeout.</summary>
    public bool OneShot { get; init; }
}
