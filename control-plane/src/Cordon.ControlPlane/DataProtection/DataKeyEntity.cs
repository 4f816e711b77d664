namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// The data key of one job's (or session's) workspace data, wrapped by the master key <see cref="KeyId"/> — never
/// stored beside the objects it encrypts. Deleting the row is the crypto-shred: what the key encrypted is noise from
/// then on, wherever copies of it went.
/// </summary>
internal sealed class DataKeyEntity
{
    public required string TenantId { get; set; }

    /// <summary>The job or session id the key belongs to.</summary>
    public required string OwnerId { get; set; }

    /// <summary><c>job</c> or <c>session</c>.</summary>
    public required string Scope { get; set; }

    public required string KeyId { get; set; }

    public required byte[] WrappedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
