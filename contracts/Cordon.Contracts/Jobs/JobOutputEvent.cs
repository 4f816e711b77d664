namespace Cordon.Contracts.Jobs;

/// <summary>The data of a <c>stdout</c> or <c>stderr</c> server-sent event of <c>GET /v1/jobs/{id}/events</c>.</summary>
public sealed record JobOutputEvent
{
    /// <summary>The chunk of output, decoded as UTF-8 (invalid bytes replaced).</summary>
    public required string Text { get; init; }
}
