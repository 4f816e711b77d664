namespace Cordon.Contracts.Jobs;

/// <summary>The <c>data</c> of a <c>status</c> event of <c>GET /v1/jobs/{id}/events</c>: the job moved to a new status.</summary>
public sealed record JobStatusEvent
{
    /// <summary>The job's new status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Why the job ended, when it ended for a reason other than the program's own exit.</summary>
    public string? Error { get; init; }
}
