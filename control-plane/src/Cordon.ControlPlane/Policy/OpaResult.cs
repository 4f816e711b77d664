using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary><c>data.cordon.decision</c> as <c>deploy/policies/cordon.rego</c> produces it.</summary>
internal sealed record OpaResult
{
    public bool? Allow { get; init; }

    public IReadOnlyList<OpaReason>? Reasons { get; init; }

    public ResourceLimits? Limits { get; init; }

    public string? PolicyVersion { get; init; }
}
