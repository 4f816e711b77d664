namespace Cordon.ControlPlane.Policy;

/// <summary>One change of a tenant's policy: who set which version when (the document is kept too, to restore it).</summary>
internal sealed class TenantPolicyHistoryEntity
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    public required string Version { get; set; }

    public required string Document { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public required string ChangedBy { get; set; }
}
