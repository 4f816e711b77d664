using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The quotas of a tenant whose policy document does not set them (<c>Cordon:Quotas:Defaults</c>); each field of a
/// document's <c>quotas</c> overrides its own default only.
/// </summary>
internal sealed class QuotaDefaultsOptions
{
    /// <summary>Jobs of one tenant running at once; more wait queued.</summary>
    [Range(0, 1_000_000)]
    public int ConcurrentJobs { get; set; } = 32;

    /// <summary>Jobs of one tenant waiting to start; past it a new job is refused (429).</summary>
    [Range(0, 1_000_000)]
    public int QueuedJobs { get; set; } = 256;

    /// <summary>Live sessions of one tenant; past it a new session is refused (429).</summary>
    [Range(0, 1_000_000)]
    public int ConcurrentSessions { get; set; } = 32;

    /// <summary>The token bucket's refill rate for one tenant's authenticated requests.</summary>
    [Range(0.001, 1_000_000)]
    public double RequestsPerSecond { get; set; } = 100;

    /// <summary>The token bucket's size: requests a tenant may send at once after a quiet spell.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;
}
