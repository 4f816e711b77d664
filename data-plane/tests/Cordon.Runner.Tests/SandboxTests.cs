using Cordon.Contracts.Runner.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.Runner.Tests;

/// <summary>Session-style sandboxes: create, exec, files, destroy, and what destroy leaves behind.</summary>
public sealed class SandboxTests(RunnerFixture runner) : RunnerTestBase(runner)
{
    private const long UidBase = 30_000_000;

    [Fact]
    public async Task Exec_CodeMode_KeepsInterpreterStateBetweenCalls()
    {
        var id = await CreateSandboxAsync("python");
        try
        {
            var first = await ExecAsync(id, ExecMode.Code, "x = 41");
            var second = await ExecAsync(id, ExecMode.Code, "print(x + 1)");

            Assert.True(first.Status == ExecStatus.Succeeded, first.ToString());
            Assert.True(second.Status == ExecStatus.Succeeded, second.ToString());
            Assert.Equal("42\n", second.Stdout);
        }
        finally
        {
            await DestroySandboxAsync(id);
        }
    }

    [Fact]
    public async Task Exec_CommandAsSandboxUser_RunsAsUid1000()
    {
        var id = await CreateSandboxAsync("bash");
        try
        {
            var result = await ExecAsync(id, ExecMode.Command, "id -u; pwd");

            Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
            Assert.Equal("1000\n/workspace\n", result.Stdout);
        }
        finally
        {
            await DestroySandboxAsync(id);
        }
    }

    [Fact]
    public async Task Files_WriteListReadDelete_RoundTripThroughAgent()
    {
        var id = await CreateSandboxAsync("python");
        try
        {
            var write = new WriteFilesRequest { SandboxId = id };
            write.Files.Add(new Cordon.Contracts.Runner.V1.File { Path = "dir/a.txt", Content = ByteString.CopyFromUtf8("alpha") });
            await Runner.Client.WriteFilesAsync(write, RunnerFixture.Auth, cancellationToken: Ct);

            var list = await Runner.Client.ListFilesAsync(new ListFilesRequest { SandboxId = id }, RunnerFixture.Auth, cancellationToken: Ct);
            var read = await Runner.Client.ReadFileAsync(new ReadFileRequest { SandboxId = id, Path = "dir/a.txt" }, RunnerFixture.Auth, cancellationToken: Ct);
            await Runner.Client.DeleteFileAsync(new DeleteFileRequest { SandboxId = id, Path = "dir/a.txt" }, RunnerFixture.Auth, cancellationToken: Ct);
            var run = await ExecAsync(id, ExecMode.Command, "test -e dir/a.txt && echo PRESENT || echo GONE");

            Assert.Contains(list.Entries, e => e.Path == "dir/a.txt" && e.Size == 5);
            Assert.Equal("alpha", read.Content.ToStringUtf8());
            Assert.Equal("GONE\n", run.Stdout);
        }
        finally
        {
            await DestroySandboxAsync(id);
        }
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    public async Task WriteFiles_PathOutsideWorkspace_IsInvalidArgument(string path)
    {
        var id = await CreateSandboxAsync("python");
        try
        {
            var write = new WriteFilesRequest { SandboxId = id };
            write.Files.Add(new Cordon.Contracts.Runner.V1.File { Path = path, Content = ByteString.CopyFromUtf8("x") });

            var error = await Assert.ThrowsAsync<RpcException>(() => Runner.Client.WriteFilesAsync(write, RunnerFixture.Auth, cancellationToken: Ct).ResponseAsync);

            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }
        finally
        {
            await DestroySandboxAsync(id);
        }
    }

    [Fact]
    public async Task ReadFile_SymlinkOutOfWorkspace_IsRefused()
    {
        var id = await CreateSandboxAsync("bash");
        try
        {
            await ExecAsync(id, ExecMode.Command, "ln -s /etc/passwd link");

            var error = await Assert.ThrowsAsync<RpcException>(() => Runner.Client.ReadFileAsync(new ReadFileRequest { SandboxId = id, Path = "link" }, RunnerFixture.Auth, cancellationToken: Ct).ResponseAsync);

            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }
        finally
        {
            await DestroySandboxAsync(id);
        }
    }

    [Fact]
    public async Task Destroy_AfterBackgroundProcess_LeavesNothingBehind()
    {
        var id = await CreateSandboxAsync("bash");
        var slot = Runner.Sandboxes.Get(id).Slot;
        var hostBase = UidBase + (slot * 65536L);

        var started = await ExecAsync(id, ExecMode.Command, "setsid sleep 1000 >/dev/null 2>&1 < /dev/null & echo STARTED");
        var after = await ExecAsync(id, ExecMode.Command, "for p in /proc/[0-9]*; do cat $p/comm 2>/dev/null; done | grep -c '^sleep$' || true");
        Assert.Equal("STARTED\n", started.Stdout);
        Assert.Equal("0\n", after.Stdout);
        Assert.NotEmpty(HostProbe.ProcessesInUidRange(hostBase));

        await DestroySandboxAsync(id);

        Assert.Empty(HostProbe.Leftovers(Runner.DataDir, id));
        Assert.Empty(HostProbe.ProcessesInUidRange(hostBase));
        var error = await Assert.ThrowsAsync<RpcException>(() => ExecAsync(id, ExecMode.Command, "true"));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task RunJob_Finished_SandboxIsDestroyedInBackground()
    {
        var before = Directory.GetDirectories(Path.Combine(Runner.DataDir, "sandboxes")).Select(Path.GetFileName).ToHashSet();

        var result = await RunAsync("bash", "sleep 1000 & echo BACKGROUNDED");

        Assert.Equal("BACKGROUNDED\n", result.Stdout);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string[] mine;
        do
        {
            await Task.Delay(50, Ct);
            mine = [.. Directory.GetDirectories(Path.Combine(Runner.DataDir, "sandboxes")).Select(Path.GetFileName).Where(d => !before.Contains(d)).Cast<string>()];
        }
        while (mine.Length > 0 && DateTime.UtcNow < deadline && mine.Any(d => Runner.Sandboxes.Active > 0));
        // Other tests run sandboxes in parallel; the job's own sandbox is the one that appeared and must go.
        foreach (var id in mine)
        {
            Assert.True(await WaitGoneAsync(id), $"sandbox {id} left: {string.Join(", ", HostProbe.Leftovers(Runner.DataDir, id))}");
        }
    }

    private async Task<bool> WaitGoneAsync(string id)
    {
        for (var i = 0; i < 200; i++)
        {
            if (HostProbe.Leftovers(Runner.DataDir, id).Count == 0)
            {
                return true;
            }

            await Task.Delay(50, Ct);
        }

        return false;
    }

    [Fact]
    public async Task Calls_WithoutOrWithWrongToken_AreUnauthenticated()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => Runner.Client.GetHealthAsync(new HealthRequest(), cancellationToken: Ct).ResponseAsync);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => Runner.Client.GetHealthAsync(new HealthRequest(), new Metadata { { "authorization", "Bearer nope" } }, cancellationToken: Ct).ResponseAsync);
        var create = await Assert.ThrowsAsync<RpcException>(() => Runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Language = "python" }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, create.StatusCode);
    }

    [Fact]
    public async Task GetHealth_WithToken_ReportsRuntimesAndKnownGaps()
    {
        var health = await Runner.Client.GetHealthAsync(new HealthRequest(), RunnerFixture.Auth, cancellationToken: Ct);

        Assert.True(health.Ready);
        Assert.StartsWith("runc ", health.OciRuntime);
        Assert.NotEmpty(health.KnownGaps);
        Assert.Equal(32, health.Capacity);
        Assert.Equal(["bash", "c", "cpp", "javascript", "python"], health.Runtimes.Select(r => r.Language).Order());
        Assert.All(health.Runtimes, r => Assert.Matches(@"^\d+\.\d+", r.Version));
    }

    [Fact]
    public async Task Exec_UnknownSandbox_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ExecAsync("nope", ExecMode.Command, "true"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
