using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class SandboxSessionTests(RunnerProcess runner)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Code_InterpreterStateBetweenExecs_Persists()
    {
        var id = await CreateAsync("python");

        await ExecAsync(id, ExecMode.Code, "x = 1");
        var second = await ExecAsync(id, ExecMode.Code, "print(x)");

        Assert.Equal("1\n", second.Stdout);
        Assert.Equal(ExecStatus.Succeeded, second.Result.Status);
        await DestroyAsync(id);
    }

    [Fact]
    public async Task Code_JavascriptStateBetweenExecs_Persists()
    {
        var id = await CreateAsync("node");

        await ExecAsync(id, ExecMode.Code, "const items = [1, 2];");
        var second = await ExecAsync(id, ExecMode.Code, "items.push(3); console.log(items.join(','))");

        Assert.Equal("1,2,3\n", second.Stdout);
        await DestroyAsync(id);
    }

    [Fact]
    public async Task Command_InASession_RunsAsTheUnprivilegedSandboxUser()
    {
        var id = await CreateAsync("bash");

        var result = await ExecAsync(id, ExecMode.Command, "id -u; awk '{print $2}' /proc/self/uid_map; grep CapEff /proc/self/status");

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1000", lines[0]);
        // runsc: the Sentry's own view (its root namespace owns every id; the security suite checks the Sentry's
        // host uid instead, UserNamespace_UidZeroInside_IsAnUnprivilegedHostUid).
        Assert.True(TestRuntime.IsRunsc ? lines[1] == "0" : long.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture) >= 100_000, result.Stdout);
        Assert.Equal("CapEff:\t0000000000000000", lines[2]);
        await DestroyAsync(id);
    }

    [Fact]
    public async Task Command_BackgroundProcessLeftBehind_IsGoneAfterTheExec()
    {
        var id = await CreateAsync("bash");

        await ExecAsync(id, ExecMode.Command, "nohup sleep 300 >/dev/null 2>&1 & echo started");
        var after = await ExecAsync(id, ExecMode.Command, "ps -eo comm= | grep -c '^sleep$' || true");

        Assert.Equal("0\n", after.Stdout);
        await DestroyAsync(id);
    }

    [Fact]
    public async Task Files_WriteListReadDelete_WorkThroughTheRunner()
    {
        var id = await CreateAsync("python");

        await runner.Client.WriteFilesAsync(new WriteFilesRequest { SandboxId = id, Files = { new Contracts.Runner.V1.File { Path = "data/in.txt", Content = ByteString.CopyFromUtf8("42") } } }, runner.Auth, cancellationToken: Token);
        var run = await ExecAsync(id, ExecMode.Command, "cat data/in.txt > data/out.txt");
        var list = await runner.Client.ListFilesAsync(new ListFilesRequest { SandboxId = id, Path = "data" }, runner.Auth, cancellationToken: Token);
        var read = await runner.Client.ReadFileAsync(new ReadFileRequest { SandboxId = id, Path = "data/out.txt" }, runner.Auth, cancellationToken: Token);
        await runner.Client.DeleteFileAsync(new DeleteFileRequest { SandboxId = id, Path = "data/in.txt" }, runner.Auth, cancellationToken: Token);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.ReadFileAsync(new ReadFileRequest { SandboxId = id, Path = "data/in.txt" }, runner.Auth, cancellationToken: Token));

        Assert.Equal(ExecStatus.Succeeded, run.Result.Status);
        Assert.Equal(["data/in.txt", "data/out.txt"], list.Entries.Select(e => e.Path).Order());
        Assert.Equal("42", read.Content.ToStringUtf8());
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        await DestroyAsync(id);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../x")]
    public async Task Files_PathLeavingTheWorkspace_IsInvalidArgument(string path)
    {
        var id = await CreateAsync("python");

        var write = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.WriteFilesAsync(
            new WriteFilesRequest { SandboxId = id, Files = { new Contracts.Runner.V1.File { Path = path, Content = ByteString.CopyFromUtf8("x") } } }, runner.Auth, cancellationToken: Token));
        var read = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.ReadFileAsync(new ReadFileRequest { SandboxId = id, Path = path }, runner.Auth, cancellationToken: Token));

        Assert.Equal(StatusCode.InvalidArgument, write.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, read.StatusCode);
        await DestroyAsync(id);
    }

    [Fact]
    public async Task Exec_CancelledByTheCaller_KillsTheProgram()
    {
        var id = await CreateAsync("bash");
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token))
        {
            using var call = runner.Client.Exec(new ExecRequest { SandboxId = id, Mode = ExecMode.Command, Text = "echo go; exec sleep 300" }, runner.Auth, cancellationToken: cancel.Token);
            Assert.True(await call.ResponseStream.MoveNext(Token));
            await cancel.CancelAsync();
        }

        var check = await ExecAsync(id, ExecMode.Command, "ps -eo comm= | grep -c '^sleep$' || true");
        Assert.Equal("0\n", check.Stdout);
        await DestroyAsync(id);
    }

    [Fact]
    public async Task UnknownSandbox_AnyCall_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await ExecAsync("sbx-missing", ExecMode.Command, "true"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private async Task<string> CreateAsync(string language) =>
        (await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "test", Language = language }, runner.Auth, cancellationToken: Token)).SandboxId;

    private async Task<JobOutcome> ExecAsync(string id, ExecMode mode, string text)
    {
        using var call = runner.Client.Exec(new ExecRequest { SandboxId = id, Mode = mode, Text = text }, runner.Auth, cancellationToken: Token);
        return await JobOutcome.ReadAsync(call, Token);
    }

    private async Task DestroyAsync(string id) =>
        await runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = id }, runner.Auth, cancellationToken: Token);
}
