namespace Cordon.Contracts.Audit;

/// <summary>One page of <c>GET /v1/audit</c>.</summary>
public sealed record AuditPage
{
    /// <summary>The records of this page, oldest first (by sequence number).</summary>
    public required IReadOnlyList<AuditRecord> Items { get; init; }

    /// <summary>The cursor of the next page; null on the last page.</summary>
    public string? Next { get; init; }
}
