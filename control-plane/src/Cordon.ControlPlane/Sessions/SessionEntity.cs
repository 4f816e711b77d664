using Cordon.Contracts.Sessions;

namespace Cordon.ControlPlane.Sessions;

/// <summary>A session and its routing record: the runner and sandbox it is pinned to.</summary>
internal sealed class SessionEntity
{
    public required string Id { get; set; }

    public required string TenantId { get; set; }

    public required string Language { get; set; }

    public SessionStatus Status { get; set; }

    public SessionEndReason? EndReason { get; set; }

    public required string RunnerId { get; set; }

    public required string SandboxId { get; set; }

    /// <summary>The default per-execution timeout, 0 for the runtime's.</summary>
    public long TimeoutMs { get; set; }

    public long OutputBytes { get; set; }

    public int IdleTimeoutSec { get; set; }

    public int TtlSec { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset LastActiveAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The execution running now, while <see cref="Status"/> is busy.</summary>
    public string? CurrentJobId { get; set; }

    /// <summary>The secrets its sandbox was given (<c>SessionSecretRef</c> list, JSON; names and digests, no values); null: none.</summary>
    public string? SecretRefsJson { get; set; }

    public int Version { get; set; }
}
