using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// A tenant's policy document, parsed and validated (<see cref="PolicyDocumentParser"/>). Every member is optional and
/// absent means strict: the empty document <c>{}</c> is the default every tenant without one gets — the registered
/// runtimes, their default limits under the service's ceilings, no egress, no dependencies, no secrets.
/// </summary>
internal sealed record PolicyDocument
{
    public static readonly PolicyDocument Empty = new();

    /// <summary>The allowed runtimes by canonical name; null: every registered runtime.</summary>
    public IReadOnlyDictionary<string, RuntimePolicy>? Runtimes { get; init; }

    /// <summary>Maxima for every runtime that sets none of its own; null members: the service's ceilings.</summary>
    public ResourceLimits? MaxLimits { get; init; }

    public IReadOnlyList<EgressPattern> Egress { get; init; } = [];

    /// <summary>Names of the tenant's secrets its jobs and sessions may request.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    public PolicyQuotas? Quotas { get; init; }
}
