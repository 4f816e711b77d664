namespace Cordon.Contracts.Jobs;

/// <summary>
/// The <c>data</c> of a <c>stdout</c> or <c>stderr</c> event of <c>GET /v1/jobs/{id}/events</c>: a chunk of output
/// as the program wrote it (UTF-8 text, invalid bytes replaced).
/// </summary>
public sealed record JobOutputEvent
{
    /// <summary>The chunk of output.</summary>
    public required string Data { get; init; }
}
