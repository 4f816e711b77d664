namespace Cordon.Contracts.Jobs;

/// <summary>A one-shot job, or one execution in a session (same fields).</summary>
public sealed record Job
{
    /// <summary>The job's id.</summary>
    public required string Id { get; init; }

    /// <summary>Where the job is; only moves forward.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>The runtime's canonical language name.</summary>
    public required string Language { get; init; }

    /// <summary>The session this execution ran in, for session executions.</summary>
    public string? SessionId { get; init; }

    /// <summary>The program's exit code, when it exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that killed the program (e.g. <c>SIGKILL</c>), when one did.</summary>
    public string? Signal { get; init; }

    /// <summary>Standard output (UTF-8, invalid bytes replaced).</summary>
    public string Stdout { get; init; } = "";

    /// <summary>Standard error (UTF-8, invalid bytes replaced).</summary>
    public string Stderr { get; init; } = "";

    /// <summary>True when standard output was cut at the output limit.</summary>
    public bool StdoutTruncated { get; init; }

    /// <summary>True when standard error was cut at the output limit.</summary>
    public bool StderrTruncated { get; init; }

    /// <summary>The compiler's output, for compiled languages.</summary>
    public string? CompileOutput { get; init; }

    /// <summary>The dependency installer's output (pip, npm), or that the installed set came from the cache; null without dependencies.</summary>
    public string? SetupOutput { get; init; }

    /// <summary>Wall-clock time of the dependency installation in milliseconds, apart from <see cref="DurationMs"/>.</summary>
    public long? SetupDurationMs { get; init; }

    /// <summary>Wall-clock run time in milliseconds.</summary>
    public long? DurationMs { get; init; }

    /// <summary>CPU and memory used.</summary>
    public Usage? Usage { get; init; }

    /// <summary>Files collected after the run.</summary>
    public IReadOnlyList<ArtifactInfo> Artifacts { get; init; } = [];

    /// <summary>Connections through the egress proxy and their bytes; null when the job had no egress.</summary>
    public JobNetwork? Network { get; init; }

    /// <summary>Why the job ended when it was not the program's own doing (rejected, error, limits).</summary>
    public string? Error { get; init; }

    /// <summary>When the job was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the program started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>
    /// When the job's stored output (stdout, stderr, compile output, artifacts) was deleted by the retention sweep;
    /// null while it is kept. An expired job's output fields are empty because they expired, not because the
    /// program printed nothing.
    /// </summary>
    public DateTimeOffset? OutputExpiredAt { get; init; }
}
