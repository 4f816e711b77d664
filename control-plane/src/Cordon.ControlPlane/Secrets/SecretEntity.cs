namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// A tenant's secret at rest: its value encrypted by its own data key (<see cref="Ciphertext"/>: nonce, ciphertext,
/// tag), the data key wrapped by the master key <see cref="KeyId"/>. Nothing here reads as the value.
/// </summary>
internal sealed class SecretEntity
{
    public required string TenantId { get; set; }

    public required string Name { get; set; }

    public required string KeyId { get; set; }

    public required byte[] WrappedKey { get; set; }

    public required byte[] Ciphertext { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
