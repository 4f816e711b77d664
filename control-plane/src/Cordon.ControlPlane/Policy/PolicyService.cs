using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary>What the service offers: the registered runtimes with their default limits, and the service-wide ceilings.</summary>
internal sealed record PolicyService
{
    public required IReadOnlyDictionary<string, PolicyRuntime> Runtimes { get; init; }

    public required ResourceLimits MaxLimits { get; init; }
}
