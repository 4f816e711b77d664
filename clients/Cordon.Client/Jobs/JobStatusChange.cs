using Cordon.Contracts.Jobs;

namespace Cordon.Client.Jobs;

/// <summary>The job moved to a new status.</summary>
public sealed record JobStatusChange : JobStreamEvent
{
    /// <summary>The new status.</summary>
    public required JobStatus Status { get; init; }
}
