namespace Cordon.ControlPlane.Policy;

/// <summary>A tenant's quotas as its policy document states them; validated and stored, enforced by admission.</summary>
internal sealed record PolicyQuotas
{
    public int? ConcurrentJobs { get; init; }

    public int? QueuedJobs { get; init; }

    public int? ConcurrentSessions { get; init; }

    public double? RequestsPerSecond { get; init; }

    public int? Burst { get; init; }
}
