using Cordon.Contracts.Jobs;
using Cordon.Contracts.Secrets;

namespace Cordon.Contracts.Sessions;

/// <summary>The body of <c>POST /v1/sessions</c>.</summary>
public sealed record CreateSessionRequest
{
    /// <summary>A language or alias from <c>/v1/runtimes</c>.</summary>
    public required string Language { get; init; }

    /// <summary>Limits of the sandbox; <c>timeoutMs</c> is the default per-execution timeout.</summary>
    public ResourceLimits? Limits { get; init; }

    /// <summary>Network access; default none.</summary>
    public NetworkRequest? Network { get; init; }

    /// <summary>Tenant secrets to inject into the sandbox for its whole life: names or <see cref="SecretRequest"/> objects (mode proxy with hosts: the value never enters the sandbox).</summary>
    public IReadOnlyList<SecretRequest>? Secrets { get; init; }

    /// <summary>Packages to install.</summary>
    public IReadOnlyList<string>? Dependencies { get; init; }

    /// <summary>Seconds without activity before the session ends (default 600).</summary>
    public int? IdleTimeoutSec { get; init; }

    /// <summary>Maximum life in seconds (default 3600).</summary>
    public int? TtlSec { get; init; }
}
