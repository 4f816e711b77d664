using System.Text;
using Cordon.Contracts.Runner.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.Runner.Tests;

public abstract class RunnerTestBase(RunnerFixture runner)
{
    protected RunnerFixture Runner { get; } = runner;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected Task<JobResult> RunAsync(string language, string code, string? stdin = null, Limits? limits = null, params (string Path, string Content)[] extraFiles)
    {
        var files = new List<(string, string)>();
        if (code.Length > 0)
        {
            files.Add((FileNameOf(language), code));
        }

        files.AddRange(extraFiles);
        var request = new RunJobRequest { Language = language, Limits = limits ?? new Limits(), JobId = Guid.NewGuid().ToString("N") };
        request.Files.AddRange(files.Select(f => new Cordon.Contracts.Runner.V1.File { Path = f.Item1, Content = ByteString.CopyFromUtf8(f.Item2) }));
        if (stdin is not null)
        {
            request.Stdin = ByteString.CopyFromUtf8(stdin);
        }

        return RunJobAsync(request);
    }

    protected async Task<JobResult> RunJobAsync(RunJobRequest request)
    {
        using var call = Runner.Client.RunJob(request, RunnerFixture.Auth, cancellationToken: Ct);
        return await CollectAsync(call.ResponseStream);
    }

    protected async Task<JobResult> ExecAsync(string sandboxId, ExecMode mode, string text, long timeoutMs = 0)
    {
        using var call = Runner.Client.Exec(new ExecRequest { SandboxId = sandboxId, Mode = mode, Text = text, TimeoutMs = timeoutMs }, RunnerFixture.Auth, cancellationToken: Ct);
        return await CollectAsync(call.ResponseStream);
    }

    protected async Task<string> CreateSandboxAsync(string language, Limits? limits = null)
    {
        var reply = await Runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Language = language, Limits = limits ?? new Limits() }, RunnerFixture.Auth, cancellationToken: Ct);
        return reply.SandboxId;
    }

    protected async Task DestroySandboxAsync(string id) =>
        await Runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = id }, RunnerFixture.Auth, cancellationToken: Ct);

    private static async Task<JobResult> CollectAsync(IAsyncStreamReader<ExecEvent> stream)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var phases = new List<Phase>();
        ExecResult? result = null;
        await foreach (var e in stream.ReadAllAsync(Ct))
        {
            switch (e.EventCase)
            {
                case ExecEvent.EventOneofCase.Output:
                    (e.Output.Stream == OutputStream.Stderr ? stderr : stdout).Write(e.Output.Data.Span);
                    break;
                case ExecEvent.EventOneofCase.Phase:
                    phases.Add(e.Phase);
                    break;
                case ExecEvent.EventOneofCase.Result:
                    result = e.Result;
                    break;
            }
        }

        Assert.NotNull(result);
        return new JobResult(Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), result, phases);
    }

    protected static string FileNameOf(string language) => language switch
    {
        "python" => "main.py",
        "javascript" => "main.js",
        "bash" => "main.sh",
        "c" => "main.c",
        "cpp" => "main.cpp",
        _ => throw new ArgumentOutOfRangeException(nameof(language)),
    };
}
