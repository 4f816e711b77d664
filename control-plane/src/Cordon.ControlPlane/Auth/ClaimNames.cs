namespace Cordon.ControlPlane.Auth;

internal static class ClaimNames
{
    public const string Subject = "sub";
    public const string Tenant = "tenant";
    public const string Scope = "scope";
    public const string AuthBypassed = "cordon:auth_bypassed";
}
