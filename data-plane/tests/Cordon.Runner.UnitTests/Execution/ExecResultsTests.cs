using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Execution;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.UnitTests.Execution;

public sealed class ExecResultsTests
{
    [Fact]
    public void SandboxOomKilled_TheSandboxEndedByTheMemoryCgroup_IsMemoryLimitWithNoExitCodeAndItsUsage()
    {
        var started = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

        var result = ExecResults.SandboxOomKilled(
            new CgroupSnapshot(CpuNanoseconds: 2_000_000, PeakMemoryBytes: 0, OomKills: 0),
            new CgroupSnapshot(CpuNanoseconds: 752_000_000, PeakMemoryBytes: 67_108_864, OomKills: 1),
            memoryMb: 64, started, started.AddMilliseconds(1250));

        Assert.Equal(ExecStatus.MemoryLimit, result.Status);
        Assert.False(result.HasExitCode);
        Assert.Equal("the sandbox's memory limit of 64 MiB was exceeded (the memory cgroup killed the sandbox)", result.Error);
        Assert.Equal(1250, result.DurationMs);
        Assert.Equal(1_000_000, result.StartedAtUnixMs);
        Assert.Equal(750, result.Usage.CpuMs);
        Assert.Equal(67_108_864, result.Usage.PeakMemoryBytes);
    }
}
