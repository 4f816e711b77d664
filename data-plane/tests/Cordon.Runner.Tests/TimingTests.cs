using System.Diagnostics;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Execution;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Tests;

/// <summary>Create, exec and destroy straight on the sandbox manager, timed; generous bounds, figures in the output.</summary>
public sealed class TimingTests(RunnerFixture runner) : RunnerTestBase(runner)
{
    [Fact]
    public async Task SandboxManager_CreateExecDestroy_AreFast()
    {
        var manager = Runner.Sandboxes;
        var execution = new ExecutionService();
        var create = new List<double>();
        var exec = new List<double>();
        var destroy = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var sandbox = await manager.CreateAsync(new SandboxRequest { Language = "python" }, Ct);
            create.Add(watch.Elapsed.TotalMilliseconds);
            for (var j = 0; j < 3; j++)
            {
                watch.Restart();
                var outcome = await execution.RunCommandAsync(sandbox, "python3 -c 'print(1)'", new ExecutionService.ProgramRequest(), (_, _) => ValueTask.CompletedTask, Ct);
                exec.Add(watch.Elapsed.TotalMilliseconds);
                Assert.Equal(Cordon.Contracts.Jobs.JobStatus.Succeeded, outcome.Status);
            }

            watch.Restart();
            await manager.DestroyAsync(sandbox, Ct);
            destroy.Add(watch.Elapsed.TotalMilliseconds);
        }

        var report = $"create median {Median(create):0} ms, exec median {Median(exec):0} ms, destroy median {Median(destroy):0} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(Median(create) < 3000, report);
        Assert.True(Median(exec) < 1000, report);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
