namespace Cordon.ControlPlane.Jobs;

/// <summary>The <c>event:</c> names of <c>GET /v1/jobs/{id}/events</c>.</summary>
internal static class JobEventKinds
{
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";
    public const string Status = "status";
    public const string Result = "result";
}
