using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Sandboxes;
using Grpc.Core;

namespace Cordon.Runner.Tests;

/// <summary>Issue 8.7: the capacity is exact under concurrency and its default is sized from the host.</summary>
public sealed class CapacityTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Default_OnA24GiBHost_HoldsAtLeast512Sandboxes()
    {
        Assert.True(CapacityPlanner.Default(24L * 1024 * 1024 * 1024, 4093) >= 512);
        Assert.Equal(100, CapacityPlanner.Default(1L << 40, 100)); // never more than the uid slots
        Assert.Equal(1, CapacityPlanner.Default(1L << 30, 4093)); // a tiny host still holds one
    }

    [Fact]
    public async Task CreateSandbox_ManyConcurrentlyAtCapacity_ExactlyCapacitySucceed()
    {
        const int capacity = 4;
        await using var runner = new RunnerProcess { Settings = new Dictionary<string, string> { ["Cordon__Runner__Capacity"] = $"{capacity}" } };
        await runner.InitializeAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            try
            {
                return (await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "bash" }, runner.Auth, cancellationToken: Token)).SandboxId;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                return null;
            }
        }, Token)));

        var created = attempts.OfType<string>().ToList();
        Assert.Equal(capacity, created.Count);
        var health = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: Token);
        Assert.Equal(capacity, health.Capacity);
        Assert.Equal(capacity, health.ActiveSandboxes);

        // Destroying one frees exactly one place.
        await runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = created[0] }, runner.Auth, cancellationToken: Token);
        var again = await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "bash" }, runner.Auth, cancellationToken: Token);
        Assert.False(string.IsNullOrEmpty(again.SandboxId));
        var full = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "bash" }, runner.Auth, cancellationToken: Token));
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);
    }
}
