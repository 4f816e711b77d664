using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Execution;
using Cordon.Runner.Runtimes;
using Google.Protobuf;

namespace Cordon.Runner.Grpc;

/// <summary>Hand mapping between runner types and <c>cordon.runner.v1</c> messages.</summary>
internal static class ProtoMapping
{
    public static RuntimeLimits ToLimits(this Limits? limits) => limits is null ? new RuntimeLimits() : new RuntimeLimits
    {
        TimeoutMs = limits.TimeoutMs,
        MemoryMb = limits.MemoryMb,
        Cpus = limits.Cpus,
        Pids = limits.Pids,
        OutputBytes = limits.OutputBytes,
        DiskMb = limits.DiskMb,
    };

    public static Limits ToProto(this RuntimeLimits limits) => new()
    {
        TimeoutMs = limits.TimeoutMs,
        MemoryMb = limits.MemoryMb,
        Cpus = limits.Cpus,
        Pids = limits.Pids,
        OutputBytes = limits.OutputBytes,
        DiskMb = limits.DiskMb,
    };

    public static ExecStatus ToProto(this JobStatus status) => status switch
    {
        JobStatus.Succeeded => ExecStatus.Succeeded,
        JobStatus.Failed => ExecStatus.Failed,
        JobStatus.CompileError => ExecStatus.CompileError,
        JobStatus.Timeout => ExecStatus.Timeout,
        JobStatus.MemoryLimit => ExecStatus.MemoryLimit,
        JobStatus.OutputLimit => ExecStatus.OutputLimit,
        JobStatus.Cancelled => ExecStatus.Cancelled,
        _ => ExecStatus.Error,
    };

    public static ExecResult ToProto(this ExecOutcome outcome)
    {
        var result = new ExecResult
        {
            Status = outcome.Status.ToProto(),
            HasExitCode = outcome.ExitCode.HasValue,
            ExitCode = outcome.ExitCode ?? 0,
            Signal = outcome.Signal ?? "",
            StdoutTruncated = outcome.StdoutTruncated,
            StderrTruncated = outcome.StderrTruncated,
            CompileOutput = outcome.CompileOutput ?? "",
            DurationMs = outcome.DurationMs,
            Usage = new Contracts.Runner.V1.Usage { CpuMs = outcome.CpuMs, PeakMemoryBytes = outcome.PeakMemoryBytes },
            Error = outcome.Error ?? "",
            StartedAtUnixMs = outcome.StartedAtUnixMs,
        };
        result.Artifacts.AddRange(outcome.Artifacts.Select(a => new Artifact { Path = a.Path, Content = ByteString.CopyFrom(a.Content), Sha256 = a.Sha256 }));
        return result;
    }

    public static RuntimeDescriptor ToProto(this RuntimeDefinition runtime)
    {
        var descriptor = new RuntimeDescriptor
        {
            Language = runtime.Language,
            Version = runtime.Version,
            FileName = runtime.FileName,
            Compiled = runtime.Compiled,
        };
        descriptor.Aliases.AddRange(runtime.Aliases);
        return descriptor;
    }
}
