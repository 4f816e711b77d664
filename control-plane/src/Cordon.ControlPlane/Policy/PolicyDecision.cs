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
    public IReadOnlyList<string> RuleIds => [.. Reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal)];

    public static PolicyDecision Deny(string policyVersion, params PolicyReason[] reasons) => new(false, reasons, null, policyVersion);
}
