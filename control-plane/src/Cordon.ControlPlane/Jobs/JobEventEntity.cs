namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// One server-sent event of a job, kept with the job so a client can resume with <c>Last-Event-ID</c> even after
/// the job finished. The store-generated <see cref="Id"/> is the event id: it only grows.
/// </summary>
internal sealed class JobEventEntity
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    public required string JobId { get; set; }

    /// <summary><c>stdout</c>, <c>stderr</c>, <c>status</c> or <c>result</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The event's JSON data.</summary>
    public required string Data { get; set; }
}
