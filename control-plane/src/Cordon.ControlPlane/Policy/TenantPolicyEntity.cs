namespace Cordon.ControlPlane.Policy;

/// <summary>A tenant's current policy document (canonical JSON) and its version hash.</summary>
internal sealed class TenantPolicyEntity
{
    public required string TenantId { get; set; }

    public required string Document { get; set; }

    /// <summary><c>sha256:…</c> of <see cref="Document"/>.</summary>
    public required string Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}
