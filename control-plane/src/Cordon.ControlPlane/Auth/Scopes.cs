namespace Cordon.ControlPlane.Auth;

/// <summary>The scopes of the <c>scope</c> claim, each also the name of the authorization policy that requires it.</summary>
internal static class Scopes
{
    public const string JobsRun = "jobs:run";
    public const string SessionsUse = "sessions:use";
    public const string FilesReadWrite = "files:rw";
    public const string AuditRead = "audit:read";
    public const string SecretsWrite = "secrets:write";
    public const string Admin = "admin";

    public static readonly string[] All = [JobsRun, SessionsUse, FilesReadWrite, AuditRead, SecretsWrite, Admin];
}
