namespace Cordon.Contracts.Audit;

/// <summary>
/// The outcome of recomputing the audit chain (<c>GET /v1/audit/verify</c>, <c>cordon audit verify</c>).
/// </summary>
public sealed record AuditVerification
{
    /// <summary>True when every record's hash, sequence number and link to its predecessor hold.</summary>
    public required bool Valid { get; init; }

    /// <summary>The number of records checked and found intact (before the first broken one).</summary>
    public required long Events { get; init; }

    /// <summary>The hash of the last intact record (64 zeros for an empty log).</summary>
    public required string LastHash { get; init; }

    /// <summary>When invalid: the sequence number of the first record that does not hold.</summary>
    public long? BrokenSeq { get; init; }

    /// <summary>When invalid: why, with the segment file and line.</summary>
    public string? Reason { get; init; }
}
