using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Execution;

namespace Cordon.Runner.Tests;

public sealed class OutcomeClassifierTests
{
    private static AgentExit Exit(int? code = 0, string? signal = null, bool timedOut = false, bool outputLimited = false) =>
        new() { ExitCode = code, Signal = signal, TimedOut = timedOut, OutputLimited = outputLimited, StartedAtUnixMs = 1, DurationMs = 1 };

    [Fact]
    public void Classify_OomKillCounterRose_IsMemoryLimitEvenWhenKilled() =>
        Assert.Equal(JobStatus.MemoryLimit, OutcomeClassifier.Classify(Exit(null, "SIGKILL"), 1, false, null).Status);

    [Fact]
    public void Classify_TimedOut_IsTimeout() =>
        Assert.Equal(JobStatus.Timeout, OutcomeClassifier.Classify(Exit(null, "SIGKILL", timedOut: true), 0, false, null).Status);

    [Fact]
    public void Classify_OutputLimited_IsOutputLimit() =>
        Assert.Equal(JobStatus.OutputLimit, OutcomeClassifier.Classify(Exit(null, "SIGKILL", outputLimited: true), 0, false, null).Status);

    [Theory]
    [InlineData(0, null, JobStatus.Succeeded)]
    [InlineData(3, null, JobStatus.Failed)]
    [InlineData(null, "SIGSEGV", JobStatus.Failed)]
    public void Classify_ProgramExit_FollowsExitCode(int? code, string? signal, JobStatus expected) =>
        Assert.Equal(expected, OutcomeClassifier.Classify(Exit(code, signal), 0, false, null).Status);

    [Fact]
    public void Classify_NoExitReported_IsError() =>
        Assert.Equal(JobStatus.Error, OutcomeClassifier.Classify(null, 0, false, "lost").Status);

    [Fact]
    public void Classify_Cancelled_IsCancelled() =>
        Assert.Equal(JobStatus.Cancelled, OutcomeClassifier.Classify(null, 0, true, null).Status);
}
