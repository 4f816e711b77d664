using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport;
using Grpc.Core;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class LifecycleTests(RunnerProcess runner)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Destroy_LeavesNoCgroupMountOrStateBehind()
    {
        var id = (await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "test", Language = "python" }, runner.Auth, cancellationToken: Token)).SandboxId;
        var state = Path.Combine(runner.DataDirectory, "sandboxes", id);
        Assert.True(Directory.Exists(state));
        Assert.True(Directory.Exists($"/sys/fs/cgroup/memory/cordon/{id}") || Directory.Exists($"/sys/fs/cgroup/cordon/{id}"));
        // The agent's channel is an inherited socket pair: no host mount carries a socket for it any more.
        Assert.DoesNotContain(MountPoints(), m => m.StartsWith(state, StringComparison.Ordinal));

        await runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = id }, runner.Auth, cancellationToken: Token);

        Assert.False(Directory.Exists(state));
        Assert.DoesNotContain(Directory.EnumerateDirectories("/sys/fs/cgroup"), h => Directory.Exists(Path.Combine(h, "cordon", id)));
        Assert.DoesNotContain(MountPoints(), m => m.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunJob_Finished_LeavesNoSandboxBehind()
    {
        using var call = runner.Client.RunJob(new RunJobRequest { Tenant = "test", JobId = "j", Language = "bash", Files = { new Contracts.Runner.V1.File { Content = Google.Protobuf.ByteString.CopyFromUtf8("echo $$") } } }, runner.Auth, cancellationToken: Token);
        await JobOutcome.ReadAsync(call, Token);

        // Destroy runs off the critical path: give it a moment (runsc's delete takes seconds on a busy host), then
        // nothing of the job may remain. Tests of this collection run one at a time and destroy their own
        // sandboxes, so the runner must end up empty.
        var sandboxes = Path.Combine(runner.DataDirectory, "sandboxes");
        for (var i = 0; i < 400 && Directory.EnumerateDirectories(sandboxes).Any(); i++)
        {
            await Task.Delay(50, Token);
        }

        var health = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: Token);
        Assert.Empty(Directory.EnumerateDirectories(sandboxes));
        Assert.Equal(0, health.ActiveSandboxes);
    }

    [Fact]
    public async Task Health_Reports_RuntimesCapacityAndKnownGaps()
    {
        var health = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: Token);

        Assert.True(health.Ready);
        if (TestRuntime.IsRunsc)
        {
            // gVisor: its version line, its platform and the behaviours the runner works around (Oci/RuntimeGaps).
            Assert.StartsWith("runsc", health.OciRuntime, StringComparison.Ordinal);
            Assert.Contains(health.KnownGaps, gap => gap.StartsWith("runsc runs on the ptrace platform", StringComparison.Ordinal));
            Assert.Contains(health.KnownGaps, gap => gap.Contains("no size or inode cap", StringComparison.Ordinal));
        }
        else
        {
            Assert.StartsWith("runc", health.OciRuntime, StringComparison.Ordinal);
            Assert.Contains(health.KnownGaps, gap => gap.Contains("CVE-2025-31133", StringComparison.Ordinal));
        }

        Assert.Equal(["bash", "c", "cpp", "javascript", "python"], health.Runtimes.Select(r => r.Language).Order());
        Assert.True(health.Runtimes.Single(r => r.Language == "c").Compiled);
        Assert.Contains("py", health.Runtimes.Single(r => r.Language == "python").Aliases);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic abc")]
    public async Task AnyCall_WithoutTheServiceToken_IsUnauthenticated(string? authorization)
    {
        var headers = new Metadata();
        if (authorization is not null)
        {
            headers.Add("authorization", authorization);
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.GetHealthAsync(new HealthRequest(), headers, cancellationToken: Token));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task CreateSandbox_BadLanguageOrLimits_IsInvalidArgument()
    {
        var language = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "cobol" }, runner.Auth, cancellationToken: Token));
        var limits = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "python", Limits = new Limits { MemoryMb = 1_000_000 } }, runner.Auth, cancellationToken: Token));

        Assert.Equal(StatusCode.InvalidArgument, language.StatusCode);
        Assert.Contains("cobol", language.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, limits.StatusCode);
        Assert.Contains("memoryMb", limits.Status.Detail, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> MountPoints() => [.. File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])];
}
