namespace Cordon.ControlPlane.Storage;

/// <summary>
/// What a tenant stores now — job output and artifacts, in bytes — kept as a running total so the storage quota is
/// one row read at admission, not a sum over every job. Changed only through <see cref="TenantStorage"/>.
/// </summary>
internal sealed class TenantStorageEntity
{
    public required string TenantId { get; set; }

    public long UsedBytes { get; set; }
}
