using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// A policy decision: allowed or not, the rules that decided, the effective limits the work runs with (the request
/// clamped to the tenant's maxima, defaults filled in), the version hash of the policy that decided and the tenant's
/// quotas, for admission to enforce.
/// </summary>
internal sealed record PolicyDecision(
    bool Allowed,
    IReadOnlyList<PolicyReason> Reasons,
    ResourceLimits? Limits,
    string PolicyVersion,
    PolicyQuotas? Quotas = null)
{
    /// <summary>
    /// The packages an installation may fetch, direct and transitive (the tenant's allowlist for the runtime). Empty
    /// from an engine that gives none (OPA): then only the packages the request names, within their constraints.
    /// </summary>
    public IReadOnlyList<DependencyRule> Packages { get; init; } = [];

    public IReadOnlyList<string> RuleIds => [.. Reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal)];

    public static PolicyDecision Deny(string policyVersion, params PolicyReason[] reasons) => new(false, reasons, null, policyVersion);
}
