namespace Cordon.Contracts.Jobs;

/// <summary>One page of <c>GET /v1/jobs</c>.</summary>
public sealed record JobPage
{
    /// <summary>The jobs of this page, newest first, without their output.</summary>
    public required IReadOnlyList<JobSummary> Items { get; init; }

    /// <summary>The cursor of the next page; null on the last page.</summary>
    public string? Next { get; init; }
}
