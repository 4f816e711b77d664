namespace Cordon.ControlPlane.Jobs;

/// <summary>An <c>Idempotency-Key</c> a tenant used, with the hash of the body it came with and the job it made.</summary>
internal sealed class IdempotencyKeyEntity
{
    public required string TenantId { get; set; }

    public required string Key { get; set; }

    /// <summary>Lower-case hex SHA-256 of the request as the server read it.</summary>
    public required string RequestHash { get; set; }

    public required string JobId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
