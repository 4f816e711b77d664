namespace Cordon.ControlPlane.Audit;

/// <summary>
/// The database's index of one audit record, for queries. The segment files are the record of truth: the index is
/// filled from them after each fsync, and caught up from them at start-up.
/// </summary>
internal sealed class AuditEventEntity
{
    public long Seq { get; set; }

    public DateTimeOffset Time { get; set; }

    public string? TenantId { get; set; }

    public string? Actor { get; set; }

    public required string Action { get; set; }

    public string? Target { get; set; }

    public required string Outcome { get; set; }

    /// <summary>The record's <c>details</c> as a JSON object of strings.</summary>
    public required string DetailsJson { get; set; }

    public required string PrevHash { get; set; }

    public required string Hash { get; set; }
}
