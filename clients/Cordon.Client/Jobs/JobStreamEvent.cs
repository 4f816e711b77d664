namespace Cordon.Client.Jobs;

/// <summary>
/// One event of a job's event stream (<c>GET /v1/jobs/{id}/events</c>): a <see cref="JobOutputChunk"/>, a
/// <see cref="JobStatusChange"/> or the final <see cref="JobResultEvent"/>.
/// </summary>
public abstract record JobStreamEvent
{
    /// <summary>The event's id; pass it as <c>lastEventId</c> to resume after it.</summary>
    public string? EventId { get; init; }
}
