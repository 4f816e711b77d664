using Cordon.Contracts.Runner.V1;
using Grpc.Core;

namespace Cordon.Runner.Tests;

/// <summary>Every limit ends in its documented status, and the runner answers the next job normally.</summary>
public sealed class LimitTests(RunnerFixture runner) : RunnerTestBase(runner)
{
    [Fact]
    public async Task RunJob_SleepPastTimeout_IsTimeout()
    {
        var result = await RunAsync("python", "import time\nprint('started', flush=True)\ntime.sleep(30)\nprint('NOT-REACHED')", limits: new Limits { TimeoutMs = 1000 });

        Assert.Equal(ExecStatus.Timeout, result.Status);
        Assert.Equal("started\n", result.Stdout);
        Assert.InRange(result.Result.DurationMs, 900, 5000);
    }

    [Fact]
    public async Task RunJob_AllocationPastMemoryLimit_IsMemoryLimit()
    {
        var code = "print('CONTROL', flush=True)\nchunks = []\nwhile True:\n    chunks.append(bytearray(8 * 1024 * 1024))\n";

        var result = await RunAsync("python", code, limits: new Limits { MemoryMb = 64 });

        Assert.True(result.Status == ExecStatus.MemoryLimit, result.ToString());
        Assert.Contains("CONTROL", result.Stdout);
    }

    [Fact]
    public async Task RunJob_ForkBomb_IsContainedAndNextJobWorks()
    {
        var code = "echo CONTROL\nbomb() { bomb | bomb & }\nbomb 2>/dev/null\nsleep 2\necho SURVIVED";

        var result = await RunAsync("bash", code, limits: new Limits { Pids = 64, TimeoutMs = 5000 });

        Assert.Contains("CONTROL", result.Stdout);
        Assert.True(result.Status is ExecStatus.Succeeded or ExecStatus.Failed or ExecStatus.Timeout, result.ToString());
        var next = await RunAsync("python", "print('next')");
        Assert.True(next.Status == ExecStatus.Succeeded, next.ToString());
        Assert.Equal("next\n", next.Stdout);
    }

    [Fact]
    public async Task RunJob_TenMegabytesOfOutput_IsCutAtLimit()
    {
        var result = await RunAsync("python", "import sys\nsys.stdout.write('x' * (10 * 1024 * 1024))", limits: new Limits { OutputBytes = 1024 * 1024 });

        Assert.Equal(ExecStatus.OutputLimit, result.Status);
        Assert.True(result.Result.StdoutTruncated);
        Assert.InRange(result.Stdout.Length, 1, 1024 * 1024);
    }

    [Fact]
    public async Task RunJob_DiskFill_StopsAtWorkspaceSizeWithEnospc()
    {
        var code = """
            import errno
            print('CONTROL', flush=True)
            written = 0
            try:
                with open('fill.bin', 'wb') as f:
                    while True:
                        f.write(b'\0' * (1024 * 1024))
                        f.flush()
                        written += 1
            except OSError as e:
                print('ENOSPC' if e.errno == errno.ENOSPC else f'OTHER {e.errno}', written)
            """;

        var result = await RunAsync("python", code, limits: new Limits { DiskMb = 16 });

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        Assert.Contains("CONTROL", result.Stdout);
        Assert.Matches(@"ENOSPC 1[0-6]\b", result.Stdout);
    }

    [Fact]
    public async Task RunJob_LimitsPastMaximum_AreInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => RunAsync("python", "print(1)", limits: new Limits { MemoryMb = 1_000_000 }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task RunJob_UnknownLanguage_IsInvalidArgument()
    {
        var request = new RunJobRequest { Language = "cobol" };

        var error = await Assert.ThrowsAsync<RpcException>(() => RunJobAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
