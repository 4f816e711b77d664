namespace Cordon.ControlPlane.Audit;

internal static class AuditActions
{
    public const string JobStart = "job.start";
    public const string JobEnd = "job.end";
    public const string SessionStart = "session.start";
    public const string SessionEnd = "session.end";
    public const string AuthFailure = "auth.failure";
    public const string AuthBypassed = "auth.bypassed";
    public const string PolicyDecision = "policy.decision";
    public const string PolicyUpdate = "policy.update";
    public const string SecretPut = "secret.put";
    public const string SecretDelete = "secret.delete";
    public const string SecretInject = "secret.inject";
    public const string SecretRotate = "secret.rotate";
    public const string SecretUse = "secret.use";
    public const string SecretPlaceholderLeak = "secret.placeholder_leak";
    public const string EgressAllow = "egress.allow";
    public const string EgressDeny = "egress.deny";
    public const string JobDelete = "job.delete";
    public const string TenantDataDelete = "tenant.data_delete";
}
