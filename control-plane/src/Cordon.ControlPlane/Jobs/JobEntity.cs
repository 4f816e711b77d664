using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// A job (or a session execution) as stored. Status changes go through <see cref="JobStore"/> only. Its stdout and
/// stderr are not columns here: they are stored once, as the job's output events, and assembled from them.
/// </summary>
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

    public bool StdoutTruncated { get; set; }

    public bool StderrTruncated { get; set; }

    public string? CompileOutput { get; set; }

    public string? SetupOutput { get; set; }

    public long? SetupDurationMs { get; set; }

    public long? DurationMs { get; set; }

    public long? CpuMs { get; set; }

    public long? PeakMemoryBytes { get; set; }

    /// <summary>The collected artifacts as JSON (<see cref="ArtifactInfo"/> list).</summary>
    public string ArtifactsJson { get; set; } = "[]";

    public string? Error { get; set; }

    /// <summary>Egress through the runner's proxy (<see cref="JobNetwork"/>); all null when the job had none.</summary>
    public long? EgressConnections { get; set; }

    public long? EgressDenied { get; set; }

    public long? EgressBytesOut { get; set; }

    public long? EgressBytesIn { get; set; }

    /// <summary>Bytes of output and artifacts this job stored, counted against its tenant's storage quota.</summary>
    public long StoredBytes { get; set; }

    /// <summary>When the retention sweep deleted the job's output; null while it is kept.</summary>
    public DateTimeOffset? OutputExpiredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Optimistic concurrency: two writers racing to finish a job cannot both win.</summary>
    public int Version { get; set; }
}
