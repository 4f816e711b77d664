using System.Text.Json;
using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Jobs;

internal static class JobMapper
{
    /// <summary>The job with its output, assembled by <see cref="JobStore.GetOutputAsync"/> (or none yet).</summary>
    public static Job ToContract(this JobEntity entity, JobOutput output) => new()
    {
        Id = entity.Id,
        Status = entity.Status,
        Language = entity.Language,
        SessionId = entity.SessionId,
        ExitCode = entity.ExitCode,
        Signal = entity.Signal,
        Stdout = output.Stdout,
        Stderr = output.Stderr,
        StdoutTruncated = entity.StdoutTruncated,
        StderrTruncated = entity.StderrTruncated,
        CompileOutput = entity.CompileOutput,
        SetupOutput = entity.SetupOutput,
        SetupDurationMs = entity.SetupDurationMs,
        DurationMs = entity.DurationMs,
        Usage = UsageOf(entity),
        Artifacts = ArtifactsOf(entity),
        Network = NetworkOf(entity),
        Error = entity.Error,
        CreatedAt = entity.CreatedAt,
        StartedAt = entity.StartedAt,
        FinishedAt = entity.FinishedAt,
        OutputExpiredAt = entity.OutputExpiredAt,
    };

    public static JobSummary ToSummary(this JobEntity entity) => new()
    {
        Id = entity.Id,
        Status = entity.Status,
        Language = entity.Language,
        SessionId = entity.SessionId,
        ExitCode = entity.ExitCode,
        Signal = entity.Signal,
        StdoutTruncated = entity.StdoutTruncated,
        StderrTruncated = entity.StderrTruncated,
        DurationMs = entity.DurationMs,
        Usage = UsageOf(entity),
        Artifacts = ArtifactsOf(entity),
        Network = NetworkOf(entity),
        Error = entity.Error,
        CreatedAt = entity.CreatedAt,
        StartedAt = entity.StartedAt,
        FinishedAt = entity.FinishedAt,
        OutputExpiredAt = entity.OutputExpiredAt,
    };

    private static Usage? UsageOf(JobEntity entity) =>
        entity.CpuMs is { } cpu ? new Usage { CpuMs = cpu, PeakMemoryBytes = entity.PeakMemoryBytes ?? 0 } : null;

    private static JobNetwork? NetworkOf(JobEntity entity) =>
        entity.EgressConnections is { } connections
            ? new JobNetwork { Connections = connections, Denied = entity.EgressDenied ?? 0, BytesOut = entity.EgressBytesOut ?? 0, BytesIn = entity.EgressBytesIn ?? 0 }
            : null;

    private static List<ArtifactInfo> ArtifactsOf(JobEntity entity) =>
        JsonSerializer.Deserialize(entity.ArtifactsJson, ControlPlaneJsonContext.Default.ListArtifactInfo) ?? [];
}
