namespace Cordon.ControlPlane.Policy;

/// <summary>The rule ids decisions name (the Rego policy in <c>deploy/policies</c> uses the same).</summary>
internal static class PolicyRules
{
    public const string RuntimeAllowed = "runtime.allowed";
    public const string RuntimeDenied = "runtime.denied";
    public const string LimitsClamped = "limits.clamped";
    public const string EgressAllowed = "egress.allowed";
    public const string EgressDenied = "egress.denied";
    public const string DependencyAllowed = "dependency.allowed";
    public const string DependencyDenied = "dependency.denied";
    public const string SecretAllowed = "secret.allowed";
    public const string SecretDenied = "secret.denied";
    public const string PolicyUnavailable = "policy_unavailable";
}
