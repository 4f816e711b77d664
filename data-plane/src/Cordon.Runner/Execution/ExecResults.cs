using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Execution;

/// <summary>Builds an execution's <see cref="ExecResult"/> from what the agent and the cgroup report.</summary>
internal static class ExecResults
{
    /// <summary>A program that ran: why it ended (<see cref="ExecClassifier"/>), its exit, and its cgroup usage.</summary>
    public static ExecResult FromExit(AgentExit exit, CgroupSnapshot before, CgroupSnapshot after, long timeoutMs, int memoryMb, long outputBytes)
    {
        var (status, why) = ExecClassifier.Classify(exit, after.OomKills > before.OomKills, timeoutMs, memoryMb, outputBytes);
        return new ExecResult
        {
            Status = status,
            HasExitCode = exit.ExitCode is not null && status is not (ExecStatus.Timeout or ExecStatus.OutputLimit or ExecStatus.MemoryLimit),
            ExitCode = exit.ExitCode ?? 0,
            Signal = exit.Signal ?? "",
            StdoutTruncated = exit.StdoutTruncated,
            StderrTruncated = exit.StderrTruncated,
            DurationMs = exit.DurationMs,
            StartedAtUnixMs = exit.StartedAtUnixMs,
            // A failure by exit code speaks for itself; a signal, a limit or a timeout is said in words.
            Error = status is ExecStatus.Succeeded || (status == ExecStatus.Failed && exit.Signal is null) ? "" : why,
            Usage = new Usage { CpuMs = Math.Max(0, after.CpuNanoseconds - before.CpuNanoseconds) / 1_000_000, PeakMemoryBytes = after.PeakMemoryBytes },
        };
    }

    /// <summary>The agent did not answer within the wall clock plus the backstop.</summary>
    public static ExecResult AgentTimedOut(long timeoutMs, DateTimeOffset started, DateTimeOffset now) => new()
    {
        Status = ExecStatus.Timeout,
        Error = $"wall-clock timeout of {timeoutMs} ms exceeded (the agent did not answer in time)",
        DurationMs = (long)(now - started).TotalMilliseconds,
        StartedAtUnixMs = started.ToUnixTimeMilliseconds(),
    };

    /// <summary>The memory cgroup killed the sandbox while the program ran (under runsc: the Sentry, and with it the agent).</summary>
    public static ExecResult SandboxOomKilled(CgroupSnapshot before, CgroupSnapshot after, int memoryMb, DateTimeOffset started, DateTimeOffset now) => new()
    {
        Status = ExecStatus.MemoryLimit,
        Error = $"the sandbox's memory limit of {memoryMb} MiB was exceeded (the memory cgroup killed the sandbox)",
        DurationMs = (long)(now - started).TotalMilliseconds,
        StartedAtUnixMs = started.ToUnixTimeMilliseconds(),
        Usage = new Usage { CpuMs = Math.Max(0, after.CpuNanoseconds - before.CpuNanoseconds) / 1_000_000, PeakMemoryBytes = after.PeakMemoryBytes },
    };

    /// <summary>The program could not be started (no such file, not executable): the shell's 127.</summary>
    public static ExecResult SpawnFailed(string message, DateTimeOffset started) => new()
    {
        Status = ExecStatus.Failed,
        HasExitCode = true,
        ExitCode = 127,
        Error = message,
        StartedAtUnixMs = started.ToUnixTimeMilliseconds(),
    };

    public static ExecResult CompileFailed(AgentExit exit, string output, long durationMs) => new()
    {
        Status = ExecStatus.CompileError,
        CompileOutput = output,
        Error = exit.TimedOut ? "compilation timed out" : "compilation failed",
        DurationMs = durationMs,
        StartedAtUnixMs = exit.StartedAtUnixMs,
    };
}
