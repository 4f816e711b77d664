using System.Diagnostics;
using System.Globalization;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Sandboxes;
using Grpc.Core;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

/// <summary>
/// Issue 8.7: one runner at its default capacity holds 512 sandboxes at once, each running a sleeping job, with
/// no error, through its gRPC service. Sandboxes are created first (any number in flight), then a job sleeps in
/// every one of them at the same time; all 512 must run together, which the elapsed time and the live count show.
/// </summary>
[Collection(ConcurrencyCollection.Name)]
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int Sandboxes = 512;
    private const int SleepSeconds = 5;

    [Fact]
    public async Task SleepingJobs_512AtOnceOnOneRunner_AllSucceedTogether()
    {
        var token = TestContext.Current.CancellationToken;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(TimeSpan.FromMinutes(25));
        await using var runner = new RunnerProcess(); // default capacity: sized from this host
        await runner.InitializeAsync();
        try
        {
            await HoldAndRunAsync(runner, deadline.Token);
        }
        catch (RpcException) when (Report(runner))
        {
            throw; // unreachable: the filter reports and declines
        }
    }

    private async Task HoldAndRunAsync(RunnerProcess runner, CancellationToken cancellationToken)
    {
        var health = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: cancellationToken);
        output.WriteLine($"capacity {health.Capacity}; gaps: {string.Join(" | ", health.KnownGaps)}");
        Assert.True(health.Capacity >= Sandboxes, $"default capacity {health.Capacity}");

        var available = CapacityPlanner.MemTotalBytes() - MemAvailable(); // used before
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(16); // creation is CPU-bound (runc): 16 in flight is plenty on 2 cores
        var ids = await Task.WhenAll(Enumerable.Range(0, Sandboxes).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return (await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = $"t{i % 7}", Language = "bash" }, runner.Auth, cancellationToken: cancellationToken)).SandboxId;
            }
            finally
            {
                gate.Release();
            }
        }));
        var created = clock.Elapsed;
        var live = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: cancellationToken);
        var perSandbox = (CapacityPlanner.MemTotalBytes() - MemAvailable() - available) / Sandboxes;
        output.WriteLine($"{Sandboxes} sandboxes created in {created.TotalSeconds:F0} s; host memory per idle sandbox {perSandbox / 1024 / 1024} MiB; runner fds {Directory.GetFiles($"/proc/{runner.Pid}/fd").Length}");
        Assert.Equal(Sandboxes, ids.Distinct().Count());
        Assert.Equal(Sandboxes, live.ActiveSandboxes);

        clock.Restart();
        var results = await Task.WhenAll(ids.Select(id => SleepAsync(runner, id, cancellationToken)));
        var slept = clock.Elapsed;
        output.WriteLine($"{Sandboxes} concurrent {SleepSeconds} s sleeps took {slept.TotalSeconds:F0} s");

        Assert.All(results, r => Assert.Equal("slept", r));
        // Sequentially they would take 512 × 5 s; together, the sleep plus the cost of starting 512 executions.
        Assert.True(slept < TimeSpan.FromSeconds(SleepSeconds * 40), $"the sleeps took {slept}");

        await Task.WhenAll(ids.Select(id => runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = id }, runner.Auth, cancellationToken: cancellationToken).ResponseAsync));
        var after = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: cancellationToken);
        Assert.Equal(0, after.ActiveSandboxes);
    }

    /// <summary>A lost connection says little by itself: whether the runner still ran, and what it printed.</summary>
    private bool Report(RunnerProcess runner)
    {
        output.WriteLine(runner.Describe());
        return false;
    }

    private static async Task<string> SleepAsync(RunnerProcess runner, string id, CancellationToken cancellationToken)
    {
        var request = new ExecRequest
        {
            SandboxId = id,
            Mode = ExecMode.Command,
            Text = $"sleep {SleepSeconds} && echo slept",
            TimeoutMs = 120_000,
        };
        using var call = runner.Client.Exec(request, runner.Auth, cancellationToken: cancellationToken);
        var stdout = "";
        await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (e.Output is { } chunk)
            {
                stdout += chunk.Data.ToStringUtf8();
            }
            else if (e.Result is { } result && result.Status != ExecStatus.Succeeded)
            {
                return $"{result.Status}: {result.Error}";
            }
        }

        return stdout.Trim();
    }

    private static long MemAvailable()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        return long.Parse(line["MemAvailable:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }
}
