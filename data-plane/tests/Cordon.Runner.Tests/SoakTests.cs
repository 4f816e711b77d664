using System.Diagnostics;
using Cordon.Contracts.Runner.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.Runner.Tests;

/// <summary>
/// One runner process under a long mixed load: fork bombs, memory hogs, timeouts, cancels and 10 MiB outputs in
/// sessions and one-shot jobs, each followed by a plain job that must succeed with its exact output (issue 8).
/// Two lanes run at once — a session lane and a one-shot lane — so hostile and plain work also overlap.
/// </summary>
[Collection(RunnerCollection.Name)]
public sealed class SoakTests(RunnerProcess runner)
{
    private const int TenMiB = 10 * 1024 * 1024;
    private const string Bomb = "bomb() { bomb | bomb & }; bomb; sleep 0.5; echo done";
    private const string PythonHog = "import sys\nprint('start', flush=True)\nblocks = []\nwhile True:\n    blocks.append(bytearray(b'\\x01') * (16 << 20))";

    // -O2 may drop a buffer nothing reads: every page is written through a volatile pointer and summed.
    private const string CHog = """
        #include <stdio.h>
        #include <stdlib.h>
        int main(void) {
            puts("start"); fflush(stdout);
            unsigned long sum = 0;
            for (;;) {
                volatile char *block = malloc(16u << 20);
                if (!block) return 3;
                for (size_t i = 0; i < (16u << 20); i += 4096) { block[i] = (char)i; sum += block[i]; }
                if (sum == 42) puts("unlikely");
            }
        }
        """;

    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(8);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private enum Kind
    {
        Bomb,
        Cancel,
        Timeout,
        Hog,
        BigOutput,
        Plain,
    }

    [Fact]
    public async Task Soak_HostileAndPlainExecutionsInterleaved_EveryPlainJobSucceedsWithItsExactOutput()
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(Token);
        budget.CancelAfter(Budget);
        var tally = new SoakTally();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(
            SessionLaneAsync(Schedule(new Random(8), bombs: 8, cancels: 12, timeouts: 8, hogs: 8, bigOutputs: 12, extraPlain: 30), tally, budget.Token),
            OneShotLaneAsync(Schedule(new Random(9), bombs: 6, cancels: 6, timeouts: 6, hogs: 6, bigOutputs: 8, extraPlain: 16), tally, budget.Token));

        TestContext.Current.TestOutputHelper?.WriteLine($"soak: {tally} in {clock.Elapsed.TotalSeconds:0} s");
        Assert.True(tally.Failures.IsEmpty, $"{tally}\n{string.Join("\n", tally.Failures)}");
        Assert.True(tally.Total >= 200, tally.ToString());
        Assert.True(tally.Plain >= 100, tally.ToString());
    }

    /// <summary>The hostile kinds in a seeded random order, each followed by a plain job, plus extra plain ones.</summary>
    private static List<Kind> Schedule(Random random, int bombs, int cancels, int timeouts, int hogs, int bigOutputs, int extraPlain)
    {
        var hostile = Enumerable.Repeat(Kind.Bomb, bombs).Concat(Enumerable.Repeat(Kind.Cancel, cancels)).Concat(Enumerable.Repeat(Kind.Timeout, timeouts))
            .Concat(Enumerable.Repeat(Kind.Hog, hogs)).Concat(Enumerable.Repeat(Kind.BigOutput, bigOutputs)).Concat(Enumerable.Repeat(Kind.Plain, extraPlain)).ToArray();
        random.Shuffle(hostile);
        return [.. hostile.SelectMany(kind => kind == Kind.Plain ? [kind] : new[] { kind, Kind.Plain })];
    }

    private async Task SessionLaneAsync(List<Kind> schedule, SoakTally tally, CancellationToken cancellationToken)
    {
        var limits = new Limits { MemoryMb = 128, Pids = 64, OutputBytes = 16 * 1024 * 1024 };
        var bash = await CreateAsync("bash", limits, cancellationToken);
        await runner.Client.WriteFilesAsync(new WriteFilesRequest { SandboxId = bash, Files = { new Contracts.Runner.V1.File { Path = "hog.py", Content = ByteString.CopyFromUtf8(PythonHog) } } }, runner.Auth, cancellationToken: cancellationToken);
        var python = await CreateAsync("python", limits, cancellationToken);
        var previous = Kind.Plain;
        for (var i = 0; i < schedule.Count; i++)
        {
            var kind = schedule[i];
            var label = $"session #{i} {kind} (after {previous})";
            try
            {
                switch (kind)
                {
                    case Kind.Bomb:
                        var bomb = await ExecAsync(bash, Command(Bomb, timeoutMs: 3000), cancellationToken);
                        tally.Check(label, bomb.Result.Status is ExecStatus.Succeeded or ExecStatus.Failed or ExecStatus.Timeout, bomb);
                        break;
                    case Kind.Cancel:
                        await CancelAfterFirstOutputAsync(callToken => runner.Client.Exec(Command("echo go; exec sleep 300", timeoutMs: 60_000, bash), runner.Auth, cancellationToken: callToken), label, tally, cancellationToken);
                        break;
                    case Kind.Timeout when i % 2 == 0:
                        var code = await ExecAsync(python, new ExecRequest { Mode = ExecMode.Code, Text = "print('spin', flush=True)\nwhile True: pass", TimeoutMs = 300 }, cancellationToken);
                        tally.Check(label, code.Result.Status == ExecStatus.Timeout, code);
                        break;
                    case Kind.Timeout:
                        var sleep = await ExecAsync(bash, Command("echo t; sleep 30", timeoutMs: 300), cancellationToken);
                        tally.Check(label, sleep.Result.Status == ExecStatus.Timeout && sleep.Stdout == "t\n", sleep);
                        break;
                    case Kind.Hog:
                        var hog = await ExecAsync(bash, Command("python3 hog.py", timeoutMs: 20_000), cancellationToken);
                        tally.Check(label, hog.Result.Status == ExecStatus.MemoryLimit && hog.Stdout == "start\n", hog);
                        break;
                    case Kind.BigOutput:
                        var big = await ExecAsync(bash, Command($"head -c {TenMiB} /dev/zero | tr '\\0' x", timeoutMs: 30_000), cancellationToken);
                        tally.Check(label, big.Result.Status == ExecStatus.Succeeded && big.Stdout.Length == TenMiB && big.Stdout.All(c => c == 'x'), big.Result);
                        break;
                    case Kind.Plain when i % 3 == 0:
                        var token = Guid.NewGuid().ToString("N");
                        var repl = await ExecAsync(python, new ExecRequest { Mode = ExecMode.Code, Text = $"print('plain', {i})\nprint('{token}')" }, cancellationToken);
                        tally.CheckPlain(label, repl, $"plain {i}\n{token}\n");
                        break;
                    default:
                        var mark = Guid.NewGuid().ToString("N");
                        // After a cancel the program it started must be gone too.
                        var plain = await ExecAsync(bash, Command($"echo {mark}; echo line-{i}; ps -eo comm= | grep -c '^sleep$' || true"), cancellationToken);
                        tally.CheckPlain(label, plain, $"{mark}\nline-{i}\n0\n");
                        break;
                }
            }
            catch (RpcException e)
            {
                tally.Fail(label, $"RPC {e.Status}");
            }

            tally.Count(kind);
            previous = kind;
        }

        await DestroyAsync(bash, cancellationToken);
        await DestroyAsync(python, cancellationToken);
    }

    private async Task OneShotLaneAsync(List<Kind> schedule, SoakTally tally, CancellationToken cancellationToken)
    {
        var previous = Kind.Plain;
        for (var i = 0; i < schedule.Count; i++)
        {
            var kind = schedule[i];
            var label = $"one-shot #{i} {kind} (after {previous})";
            try
            {
                switch (kind)
                {
                    case Kind.Bomb:
                        var bomb = await RunAsync(Job("bash", Bomb, new Limits { TimeoutMs = 3000, Pids = 64 }), cancellationToken);
                        tally.Check(label, bomb.Result.Status is ExecStatus.Succeeded or ExecStatus.Failed or ExecStatus.Timeout, bomb);
                        break;
                    case Kind.Cancel:
                        await CancelAfterFirstOutputAsync(callToken => runner.Client.RunJob(Job("bash", "echo go; exec sleep 300", new Limits { TimeoutMs = 60_000 }), runner.Auth, cancellationToken: callToken), label, tally, cancellationToken);
                        break;
                    case Kind.Timeout:
                        var slow = await RunAsync(Job("python", "print('t', flush=True)\nimport time\ntime.sleep(30)", new Limits { TimeoutMs = 500 }), cancellationToken);
                        tally.Check(label, slow.Result.Status == ExecStatus.Timeout && slow.Stdout == "t\n", slow);
                        break;
                    case Kind.Hog:
                        var hog = await RunAsync(i % 2 == 0 ? Job("c", CHog, new Limits { MemoryMb = 64 }) : Job("python", PythonHog, new Limits { MemoryMb = 64 }), cancellationToken);
                        tally.Check(label, hog.Result.Status == ExecStatus.MemoryLimit && hog.Stdout == "start\n", hog);
                        break;
                    case Kind.BigOutput:
                        var big = await RunAsync(Job("python", $"import sys\nsys.stdout.write('y' * {TenMiB})", new Limits { OutputBytes = 16 * 1024 * 1024 }), cancellationToken);
                        tally.Check(label, big.Result.Status == ExecStatus.Succeeded && big.Stdout.Length == TenMiB && big.Stdout.All(c => c == 'y'), big.Result);
                        break;
                    default:
                        var token = Guid.NewGuid().ToString("N");
                        var plain = i % 2 == 0
                            ? await RunAsync(Job("python", $"import sys\nprint('{token}')\nprint(sys.stdin.read())", null, stdin: $"stdin-{i}"), cancellationToken)
                            : await RunAsync(Job("bash", $"echo {token}; read -r line; echo \"$line\"", null, stdin: $"stdin-{i}"), cancellationToken);
                        tally.CheckPlain(label, plain, $"{token}\nstdin-{i}\n");
                        break;
                }
            }
            catch (RpcException e)
            {
                tally.Fail(label, $"RPC {e.Status}");
            }

            tally.Count(kind);
            previous = kind;
        }
    }

    /// <summary>
    /// Starts a streaming call and cancels it once its program has printed, as a client would (without waiting for
    /// the runner): the call must end Cancelled, and the next execution must not see the program.
    /// </summary>
    private static async Task CancelAfterFirstOutputAsync(Func<CancellationToken, AsyncServerStreamingCall<ExecEvent>> start, string label, SoakTally tally, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = start(cancel.Token);
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken) && call.ResponseStream.Current.EventCase != ExecEvent.EventOneofCase.Output)
            {
            }

            await cancel.CancelAsync();
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
            }

            tally.Fail(label, "the cancelled call ended without an error");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancel.IsCancellationRequested)
        {
        }
    }

    private static ExecRequest Command(string text, long timeoutMs = 0, string? sandboxId = null) =>
        new() { SandboxId = sandboxId ?? "", Mode = ExecMode.Command, Text = text, TimeoutMs = timeoutMs };

    private static RunJobRequest Job(string language, string code, Limits? limits, string? stdin = null) => new()
    {
        Tenant = "test",
        JobId = Guid.NewGuid().ToString("N"),
        Language = language,
        Files = { new Contracts.Runner.V1.File { Path = "", Content = ByteString.CopyFromUtf8(code) } },
        Limits = limits ?? new Limits(),
        Stdin = ByteString.CopyFromUtf8(stdin ?? ""),
    };

    private async Task<JobOutcome> RunAsync(RunJobRequest request, CancellationToken cancellationToken)
    {
        using var call = runner.Client.RunJob(request, runner.Auth, cancellationToken: cancellationToken);
        return await JobOutcome.ReadAsync(call, cancellationToken);
    }

    private async Task<JobOutcome> ExecAsync(string sandboxId, ExecRequest request, CancellationToken cancellationToken)
    {
        request.SandboxId = sandboxId;
        using var call = runner.Client.Exec(request, runner.Auth, cancellationToken: cancellationToken);
        return await JobOutcome.ReadAsync(call, cancellationToken);
    }

    private async Task<string> CreateAsync(string language, Limits limits, CancellationToken cancellationToken) =>
        (await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "test", Language = language, Limits = limits }, runner.Auth, cancellationToken: cancellationToken)).SandboxId;

    private async Task DestroyAsync(string id, CancellationToken cancellationToken) =>
        await runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = id }, runner.Auth, cancellationToken: cancellationToken);
}
