using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary>What a request asks for, as the policy engine sees it.</summary>
internal sealed record PolicyInput(
    string Tenant,
    string Subject,
    string Action,
    string Language,
    ResourceLimits? Limits,
    IReadOnlyList<string> Egress,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<string> Secrets);
