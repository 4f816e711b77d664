using System.Text.Json.Serialization;
using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// Everything a decision looks at, as every engine sees it (the OPA adapter sends it as <c>input</c>): who asks, what
/// for, and what the service offers (its runtimes with their default limits, its ceilings).
/// </summary>
internal sealed record PolicyInput
{
    /// <summary><c>job.create</c>, <c>session.create</c> or <c>session.exec</c>.</summary>
    public required string Action { get; init; }

    public required PolicyPrincipal Principal { get; init; }

    /// <summary>The canonical language name.</summary>
    public required string Runtime { get; init; }

    /// <summary>The limits the request asked for; unset members take the runtime's defaults.</summary>
    public ResourceLimits? Limits { get; init; }

    // Nullable because JSON readers (the decision cases, OPA tooling) may leave them out.
    public PolicyNetwork? Network { get; init; }

    public IReadOnlyList<PolicyDependency>? Dependencies { get; init; }

    public IReadOnlyList<string>? Secrets { get; init; }

    [JsonIgnore]
    public IReadOnlyList<string> EgressOrEmpty => Network?.Egress ?? [];

    [JsonIgnore]
    public IReadOnlyList<PolicyDependency> DependenciesOrEmpty => Dependencies ?? [];

    [JsonIgnore]
    public IReadOnlyList<string> SecretsOrEmpty => Secrets ?? [];

    public required PolicyService Service { get; init; }
}
