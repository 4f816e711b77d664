namespace Cordon.ControlPlane.Policy;

/// <summary>A policy decision; <see cref="Reason"/> says why when it denies.</summary>
internal sealed record PolicyDecision(bool Allowed, string? Reason, string PolicyVersion)
{
    public static PolicyDecision Allow(string policyVersion) => new(true, null, policyVersion);
}
