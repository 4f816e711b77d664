using System.Diagnostics;
using Cordon.Contracts.Runner.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.Runner.Tests;

/// <summary>
/// What the workspace's failures look like through the runner's gRPC: each its own status code with a true
/// message (never ResourceExhausted, which the control plane reads as "runner full"), and FIFOs never hang.
/// </summary>
[Collection(RunnerCollection.Name)]
public sealed class WorkspaceFailureTests(RunnerProcess runner)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteFiles_FillingTheWorkspace_IsFailedPreconditionSayingItIsFull()
    {
        var id = await CreateAsync("bash", diskMb: 4);
        await WriteAsync(id, "first.bin", 3 * 1024 * 1024);

        var error = await Assert.ThrowsAsync<RpcException>(() => WriteAsync(id, "second.bin", 3 * 1024 * 1024));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("the workspace is full", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("second.bin", error.Status.Detail, StringComparison.Ordinal);
        await AssertAgentAnswersAsync(id);
    }

    [Fact]
    public async Task WriteFiles_OneFileOverTheDiskLimit_IsFailedPreconditionAndTheAgentLives()
    {
        var id = await CreateAsync("bash", diskMb: 2);

        var error = await Assert.ThrowsAsync<RpcException>(() => WriteAsync(id, "huge.bin", 3 * 1024 * 1024));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("over the sandbox's file size limit", error.Status.Detail, StringComparison.Ordinal);
        await AssertAgentAnswersAsync(id);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(5000)]
    public async Task WriteFiles_NameTooLong_IsInvalidArgumentSayingSo(int length)
    {
        var id = await CreateAsync("bash");

        var error = await Assert.ThrowsAsync<RpcException>(() => WriteAsync(id, new string('n', length), 1));
        var read = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.ReadFileAsync(new ReadFileRequest { SandboxId = id, Path = new string('n', length) }, runner.Auth, cancellationToken: Token));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("a name is longer than 255 bytes", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(error.Status.Detail.Length < 400, "the detail quotes a shortened path");
        Assert.Equal(StatusCode.InvalidArgument, read.StatusCode);
        await DestroyAsync(id);
    }

    [Fact]
    public async Task ReadFile_Fifo_AnswersAnErrorAtOnceAndTheAgentKeepsServing()
    {
        var id = await CreateAsync("bash");
        await ExecAsync(id, "mkfifo pipe && echo made");

        var clock = Stopwatch.StartNew();
        var errors = new List<RpcException>();
        for (var i = 0; i < 20; i++)
        {
            errors.Add(await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.ReadFileAsync(new ReadFileRequest { SandboxId = id, Path = "pipe" }, runner.Auth, cancellationToken: Token)));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"20 reads of a FIFO took {clock.Elapsed}");
        Assert.All(errors, e => Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode));
        Assert.Equal("'pipe' is a FIFO, not a regular file", errors[0].Status.Detail);
        await AssertAgentAnswersAsync(id);
    }

    [Fact]
    public async Task RunJob_FifoMatchingAnArtifactGlob_FinishesPromptlyWithoutIt()
    {
        var clock = Stopwatch.StartNew();
        using var call = runner.Client.RunJob(
            new RunJobRequest
            {
                Tenant = "test",
                Language = "bash",
                Files = { new Contracts.Runner.V1.File { Path = "", Content = ByteString.CopyFromUtf8("mkfifo out.png; printf png > real.png; echo done") } },
                ArtifactGlobs = { "*.png" },
            },
            runner.Auth,
            cancellationToken: Token);
        var outcome = await JobOutcome.ReadAsync(call, Token);

        Assert.True(outcome.Result.Status == ExecStatus.Succeeded, outcome.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the job took {clock.Elapsed}");
        var artifact = Assert.Single(outcome.Result.Artifacts);
        Assert.Equal("real.png", artifact.Path);
    }

    private async Task AssertAgentAnswersAsync(string id)
    {
        var outcome = await ExecAsync(id, "echo alive");
        Assert.Equal("alive\n", outcome.Stdout);
        await DestroyAsync(id);
    }

    private async Task<string> CreateAsync(string language, int diskMb = 0) =>
        (await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "test", Language = language, Limits = new Limits { DiskMb = diskMb } }, runner.Auth, cancellationToken: Token)).SandboxId;

    private async Task WriteAsync(string id, string path, int bytes) =>
        await runner.Client.WriteFilesAsync(new WriteFilesRequest { SandboxId = id, Files = { new Contracts.Runner.V1.File { Path = path, Content = ByteString.CopyFrom(new byte[bytes]) } } }, runner.Auth, cancellationToken: Token);

    private async Task<JobOutcome> ExecAsync(string id, string command)
    {
        using var call = runner.Client.Exec(new ExecRequest { SandboxId = id, Mode = ExecMode.Command, Text = command }, runner.Auth, cancellationToken: Token);
        return await JobOutcome.ReadAsync(call, Token);
    }

    private async Task DestroyAsync(string id) =>
        await runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = id }, runner.Auth, cancellationToken: Token);
}
