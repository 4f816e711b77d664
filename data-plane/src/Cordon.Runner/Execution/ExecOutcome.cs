using Cordon.Contracts.Jobs;

namespace Cordon.Runner.Execution;

/// <summary>How one execution ended, classified.</summary>
internal sealed record ExecOutcome
{
    public required JobStatus Status { get; init; }
    public int? ExitCode { get; init; }
    public string? Signal { get; init; }
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public string? CompileOutput { get; init; }
    public long DurationMs { get; init; }
    public long CpuMs { get; init; }
    public long PeakMemoryBytes { get; init; }
    public string? Error { get; init; }
    public long StartedAtUnixMs { get; init; }
    public IReadOnlyList<CollectedArtifact> Artifacts { get; init; } = [];
}
