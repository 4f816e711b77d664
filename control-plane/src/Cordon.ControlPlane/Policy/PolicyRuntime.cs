using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary>A registered runtime as a decision sees it.</summary>
internal sealed record PolicyRuntime
{
    public required ResourceLimits DefaultLimits { get; init; }
}
