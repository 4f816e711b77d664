using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Jobs;

/// <summary>A job (or a session execution) as stored. Status changes go through <see cref="JobStore"/> only.</summary>
internal sealed class JobEntity
{
    public required string Id { get; set; }

    public required string TenantId { get; set; }

    /// <summary>The session an execution ran in; null for one-shot jobs.</summary>
    public string? SessionId { get; set; }

    public required string Language { get; set; }

    public JobStatus Status { get; set; }

    public string? RunnerId { get; set; }

    public int? ExitCode { get; set; }

    public string? Signal { get; set; }

    public string Stdout { get; set; } = "";

    public string Stderr { get; set; } = "";

    public bool StdoutTruncated { get; set; }

    public bool StderrTruncated { get; set; }

    public string? CompileOutput { get; set; }

    public long? DurationMs { get; set; }

    public long? CpuMs { get; set; }

    public long? PeakMemoryBytes { get; set; }

    /// <summary>The collected artifacts as JSON (<see cref="ArtifactInfo"/> list).</summary>
    public string ArtifactsJson { get; set; } = "[]";

    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Optimistic concurrency: two writers racing to finish a job cannot both win.</summary>
    public int Version { get; set; }
}
