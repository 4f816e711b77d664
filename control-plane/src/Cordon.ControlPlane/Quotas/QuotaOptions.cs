using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// Per-tenant quotas (<c>Cordon:Quotas</c>): the defaults a tenant's policy document may override, and how the shared
/// counters behave. (<c>Cordon:Quotas:Storage</c> is the storage quota's own section.)
/// </summary>
internal sealed class QuotaOptions
{
    public const string SectionName = "Cordon:Quotas";

    public QuotaDefaultsOptions Defaults { get; set; } = new();

    /// <summary>
    /// How long a held slot (a queued or running job, a session being created) lives in the counters unless renewed.
    /// Every replica renews its own slots three times per lease, so a slot of a replica that crashed frees itself
    /// within one lease.
    /// </summary>
    [Range(3, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>
    /// How long a tenant's quotas, read from its policy document, are reused. A <c>PUT</c> of the policy takes effect
    /// at once on the replica that stored it and within this time on the others.
    /// </summary>
    [Range(0, 600)]
    public double PolicyCacheSeconds { get; set; } = 2;

    /// <summary>Retry-After of a refusal for a full job queue or too many sessions: when a slot may have freed.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;
}
