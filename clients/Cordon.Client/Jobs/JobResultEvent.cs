using Cordon.Contracts.Jobs;

namespace Cordon.Client.Jobs;

/// <summary>The last event of a job's stream: the finished job.</summary>
public sealed record JobResultEvent : JobStreamEvent
{
    /// <summary>The finished job.</summary>
    public required Job Job { get; init; }
}
