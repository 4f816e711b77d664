using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Storage;

/// <summary>
/// The per-tenant storage quota (<c>Cordon:Quotas:Storage</c>): bytes of job output and artifacts a tenant may keep
/// stored. Over it, new jobs and executions are refused with 429 until retention (or a larger quota) frees room.
/// </summary>
internal sealed class StorageQuotaOptions : IValidatableObject
{
    public const string SectionName = "Cordon:Quotas:Storage";

    /// <summary>Every tenant's quota in bytes unless <see cref="Tenants"/> names it; 0 means no quota.</summary>
    [Range(0, long.MaxValue)]
    public long DefaultBytes { get; set; }

    /// <summary>Per-tenant quotas in bytes (0: no quota for that tenant), overriding <see cref="DefaultBytes"/>.</summary>
    public Dictionary<string, long> Tenants { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (tenant, bytes) in Tenants.Where(t => t.Value < 0))
        {
            yield return new ValidationResult(
                $"{SectionName}:Tenants:{tenant} is {bytes}; set a quota in bytes (0 for none).", [nameof(Tenants)]);
        }
    }
}
