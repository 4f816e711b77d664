using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport;
using Grpc.Core;

namespace Cordon.Bench;

/// <summary>The measured scenarios; each one runs python3 printing 1 and checks that it did.</summary>
internal sealed class Scenarios(BenchOptions options, RunnerProcess runner)
{
    private const string Code = "print(1)";
    private readonly RuncBundle _bundle = new(options.WorkDirectory);
    private string? _sandboxId;
    private int _runs;

    public async Task BareProcessAsync(CancellationToken cancellationToken)
    {
        var output = await RunProcessAsync("/usr/bin/python3", ["-c", Code], cancellationToken);
        Expect(output, "bare python3");
    }

    public async Task BareRuncRunAsync(CancellationToken cancellationToken)
    {
        var bundle = _bundle.Prepare(["/usr/bin/python3", "-c", Code]);
        var id = $"cordon-bench-{Environment.ProcessId}-{Interlocked.Increment(ref _runs)}";
        var output = await RunProcessAsync("runc", ["--root", _bundle.StateDirectory, "run", "--bundle", bundle, id], cancellationToken);
        Expect(output, "bare runc run");
    }

    public async Task CordonColdAsync(CancellationToken cancellationToken)
    {
        var request = new RunJobRequest
        {
            Tenant = "bench",
            JobId = $"bench-{Interlocked.Increment(ref _runs)}",
            Language = "python",
            Files = { new Contracts.Runner.V1.File { Path = "main.py", Content = Google.Protobuf.ByteString.CopyFromUtf8(Code) } },
            Entrypoint = "main.py",
        };
        using var call = runner.Client.RunJob(request, runner.Headers, cancellationToken: cancellationToken);
        await ExpectResultAsync(call.ResponseStream, "cordon cold", cancellationToken);
    }

    /// <summary>A job needing cordon-greet (and so cordon-util) under an allowlist no job used before: a full install.</summary>
    public Task CordonInstallingAsync(CancellationToken cancellationToken) =>
        RunWithDependenciesAsync($"bench-fresh-{Interlocked.Increment(ref _runs)}", "cordon installing", cancellationToken);

    /// <summary>The same packages under the same allowlist every time: the kept set is mounted.</summary>
    public Task CordonCachedDependenciesAsync(CancellationToken cancellationToken) =>
        RunWithDependenciesAsync("bench-cached", "cordon cached dependencies", cancellationToken);

    public async Task CordonExecAsync(CancellationToken cancellationToken)
    {
        _sandboxId ??= (await runner.Client.CreateSandboxAsync(
            new CreateSandboxRequest { Tenant = "bench", Language = "python" }, runner.Headers, cancellationToken: cancellationToken)).SandboxId;
        var request = new ExecRequest { SandboxId = _sandboxId, Mode = ExecMode.Command, Text = $"python3 -c '{Code}'" };
        using var call = runner.Client.Exec(request, runner.Headers, cancellationToken: cancellationToken);
        await ExpectResultAsync(call.ResponseStream, "cordon exec", cancellationToken);
    }

    private async Task RunWithDependenciesAsync(string distinctRule, string what, CancellationToken cancellationToken)
    {
        var request = new RunJobRequest
        {
            Tenant = "bench",
            JobId = $"bench-{Interlocked.Increment(ref _runs)}",
            Language = "python",
            Files = { new Contracts.Runner.V1.File { Path = "main.py", Content = Google.Protobuf.ByteString.CopyFromUtf8("import cordon_greet\n" + Code) } },
            Entrypoint = "main.py",
            Dependencies = { "cordon-greet<2" },
            PackageRules = { new PackageRule { Name = "cordon-greet" }, new PackageRule { Name = "cordon-util" }, new PackageRule { Name = distinctRule } },
        };
        using var call = runner.Client.RunJob(request, runner.Headers, cancellationToken: cancellationToken);
        await ExpectResultAsync(call.ResponseStream, what, cancellationToken);
    }

    private static async Task ExpectResultAsync(IAsyncStreamReader<ExecEvent> events, string what, CancellationToken cancellationToken)
    {
        var stdout = new System.Text.StringBuilder();
        ExecResult? result = null;
        while (await events.MoveNext(cancellationToken))
        {
            var current = events.Current;
            if (current.Output is { Stream: OutputStream.Stdout } chunk)
            {
                stdout.Append(chunk.Data.ToStringUtf8());
            }

            result = current.Result ?? result;
        }

        if (result?.Status != ExecStatus.Succeeded)
        {
            throw new InvalidOperationException($"{what}: {result?.Status} {result?.Error}");
        }

        Expect(stdout.ToString(), what);
    }

    private static void Expect(string stdout, string what)
    {
        if (stdout != "1\n")
        {
            throw new InvalidOperationException($"{what} printed {stdout!.Length} chars, not \"1\\n\": {stdout}");
        }
    }

    private static async Task<string> RunProcessAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var run = await ChildProcess.RunAsync(ChildProcess.CreateStartInfo(file, arguments), Timeout.InfiniteTimeSpan, cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited {run.ExitCode}: {run.Stderr}");
        }

        return run.Stdout;
    }
}
