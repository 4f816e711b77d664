using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Sessions;

/// <summary>Session defaults and bounds, and how often the reaper looks (<c>Cordon:Sessions</c>).</summary>
internal sealed class SessionsOptions
{
    public const string SectionName = "Cordon:Sessions";

    [Range(1, int.MaxValue)]
    public int DefaultIdleTimeoutSec { get; set; } = 600;

    [Range(1, int.MaxValue)]
    public int DefaultTtlSec { get; set; } = 3600;

    [Range(1, int.MaxValue)]
    public int MaxIdleTimeoutSec { get; set; } = 86_400;

    [Range(1, int.MaxValue)]
    public int MaxTtlSec { get; set; } = 86_400;

    [Range(0.05, 3600)]
    public double ReapIntervalSeconds { get; set; } = 1;

    /// <summary>Sessions the reaper ends at once (each destroy has its own deadline, Cordon:Scheduling:DestroySandboxTimeoutSeconds).</summary>
    [Range(1, 1024)]
    public int ReapConcurrency { get; set; } = 16;

    /// <summary>Largest file a PUT may write (also bounded by Cordon:Limits:MaxRequestBodyBytes).</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;
}
