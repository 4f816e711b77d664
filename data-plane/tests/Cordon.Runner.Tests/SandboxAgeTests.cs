using System.Diagnostics;
using Cordon.Contracts.Runner.V1;
using Grpc.Core;

namespace Cordon.Runner.Tests;

/// <summary>The runner's own bound on a sandbox's life (<c>Cordon:Runner:MaxSandboxAge</c>), with no control plane at all.</summary>
public sealed class SandboxAgeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListSandboxes_NamesOwnerAndAge_ThenSweepDestroysPastMaxAge()
    {
        await using var runner = new RunnerProcess { Settings = new Dictionary<string, string> { ["Cordon__Runner__MaxSandboxAge"] = "00:00:08" } };
        await runner.InitializeAsync();
        // Started before the call: the runner's age counts from inside it, so this is never behind the runner's.
        var created = Stopwatch.StartNew();
        var owned = await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "bash", OwnerId = "ses_age" }, runner.Auth, cancellationToken: Token);

        var listed = (await runner.Client.ListSandboxesAsync(new ListSandboxesRequest(), runner.Auth, cancellationToken: Token)).Sandboxes.Single();
        Assert.Equal((owned.SandboxId, "ses_age", false), (listed.SandboxId, listed.OwnerId, listed.OneShot));
        Assert.InRange(listed.AgeMs, 0, (long)created.Elapsed.TotalMilliseconds);
        var state = Path.Combine(runner.DataDirectory, "sandboxes", owned.SandboxId);
        Assert.True(Directory.Exists(state));

        // Alive before its age: an execution runs.
        var before = await ExecAsync(runner, owned.SandboxId);
        Assert.Equal(ExecStatus.Succeeded, before.Status);

        // Swept within a quarter of the age after it (the sweep's interval), plus the teardown.
        while ((await runner.Client.ListSandboxesAsync(new ListSandboxesRequest(), runner.Auth, cancellationToken: Token)).Sandboxes.Count > 0)
        {
            Assert.True(created.Elapsed < TimeSpan.FromSeconds(30), "the sandbox outlived its maximum age by far");
            await Task.Delay(100, Token);
        }

        Assert.True(created.Elapsed >= TimeSpan.FromSeconds(8), $"destroyed after {created.Elapsed}, before its maximum age");
        // The listing drops it when the teardown starts; the state directory goes when the teardown ends.
        while (Directory.Exists(state))
        {
            Assert.True(created.Elapsed < TimeSpan.FromSeconds(45), "its state directory outlived the teardown");
            await Task.Delay(100, Token);
        }

        var gone = await Assert.ThrowsAsync<RpcException>(() => ExecAsync(runner, owned.SandboxId));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        var health = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: Token);
        Assert.Equal(0, health.ActiveSandboxes);
        Assert.False(string.IsNullOrEmpty(health.InstanceId));
    }

    private static async Task<ExecResult> ExecAsync(RunnerProcess runner, string sandboxId)
    {
        using var call = runner.Client.Exec(new ExecRequest { SandboxId = sandboxId, Mode = ExecMode.Command, Text = "echo ok" }, runner.Auth, cancellationToken: Token);
        ExecResult? result = null;
        while (await call.ResponseStream.MoveNext(Token))
        {
            if (call.ResponseStream.Current.EventCase == ExecEvent.EventOneofCase.Result)
            {
                result = call.ResponseStream.Current.Result;
            }
        }

        return result ?? throw new InvalidOperationException("no result");
    }
}
