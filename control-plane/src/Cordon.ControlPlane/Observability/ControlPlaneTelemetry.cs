using System.Diagnostics;

namespace Cordon.ControlPlane.Observability;

/// <summary>The control plane's spans: admission, policy and the run of a job on its runner, below the HTTP request's.</summary>
internal static class ControlPlaneTelemetry
{
    public const string SourceName = "Cordon.ControlPlane";

    public static readonly ActivitySource Source = new(SourceName);
}
