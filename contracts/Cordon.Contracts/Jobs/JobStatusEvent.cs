namespace Cordon.Contracts.Jobs;

/// <summary>The data of a <c>status</c> server-sent event of <c>GET /v1/jobs/{id}/events</c>.</summary>
public sealed record JobStatusEvent
{
    /// <summary>The status the job moved to.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Why, when the job ended for a reason that was not the program's own doing.</summary>
    public string? Error { get; init; }
}
