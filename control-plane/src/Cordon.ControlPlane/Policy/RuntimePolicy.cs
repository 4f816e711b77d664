using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary>One allowed runtime: its maxima (null members fall back to the document's) and its package allowlist.</summary>
internal sealed record RuntimePolicy
{
    public ResourceLimits? MaxLimits { get; init; }

    public IReadOnlyList<DependencyRule> Dependencies { get; init; } = [];
}
