using System.Diagnostics;
using System.Text;
using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Google.Protobuf;

namespace Cordon.Runner.Execution;

/// <summary>
/// Runs one execution in a sandbox through its agent — a shell command, code for the persistent interpreter, or
/// the compile-then-run of a program — streaming output, then reading usage from the cgroup and saying why it
/// ended. The agent enforces the wall clock and output limit; this class keeps a backstop in case it cannot.
/// </summary>
internal sealed class SandboxExecutor(CgroupStats cgroups, RuntimeRegistry registry)
{
    private const long CompileOutputLimit = 1024 * 1024;
    private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(5);

    public async Task<ExecResult> ExecAsync(Sandbox sandbox, ExecRequest request, ExecSink emit, CancellationToken cancellationToken)
    {
        using var turn = await ExecGate.EnterAsync(sandbox, cancellationToken);
        var timeoutMs = Bounded(request.TimeoutMs, sandbox.Limits.TimeoutMs, registry.Defaults.MaxLimits.TimeoutMs, "timeoutMs");
        var outputBytes = Bounded(request.OutputBytes, sandbox.Limits.OutputBytes, registry.Defaults.MaxLimits.OutputBytes, "outputBytes");
        var env = Merge(sandbox.Env, request.Env);
        var stdin = request.Stdin.ToByteArray();
        switch (request.Mode)
        {
            case ExecMode.Command:
                Require(request.Text, "command");
                return await RunStepAsync(sandbox, new AgentSpawn { Argv = ["/bin/sh", "-c", request.Text], Env = env, Stdin = stdin, TimeoutMs = timeoutMs, OutputBytes = outputBytes }, emit, timeoutMs, outputBytes, cancellationToken);
            case ExecMode.Code:
                Require(request.Text, "code");
                var repl = sandbox.Runtime.Repl ?? throw new BadExecRequestException($"{sandbox.Runtime.Language} has no persistent interpreter; run a command instead");
                return await RunStepAsync(sandbox, new AgentRepl { Argv = repl, Code = request.Text, Env = env, Stdin = stdin, TimeoutMs = timeoutMs, OutputBytes = outputBytes }, emit, timeoutMs, outputBytes, cancellationToken);
            case ExecMode.Program:
                return await RunProgramAsync(sandbox, request, env, stdin, timeoutMs, outputBytes, emit, cancellationToken);
            default:
                throw new BadExecRequestException("mode must be command, code or program");
        }
    }

    private async Task<ExecResult> RunProgramAsync(Sandbox sandbox, ExecRequest request, Dictionary<string, string> env, byte[] stdin, long timeoutMs, long outputBytes, ExecSink emit, CancellationToken cancellationToken)
    {
        var runtime = sandbox.Runtime;
        var entrypoint = string.IsNullOrEmpty(request.Entrypoint) ? runtime.FileName : request.Entrypoint;
        var args = request.Args.ToList();
        string? compileOutput = null;
        if (runtime.Compile is { Count: > 0 } compile)
        {
            await emit(new ExecEvent { Phase = Phase.Compiling });
            var (failed, output) = await CompileAsync(sandbox, compile, env, cancellationToken);
            compileOutput = output;
            if (failed is not null)
            {
                return failed;
            }
        }

        await emit(new ExecEvent { Phase = Phase.Running });
        var argv = CommandTemplate.Expand(runtime.Run, entrypoint, args, []);
        var result = await RunStepAsync(sandbox, new AgentSpawn { Argv = argv, Env = env, Stdin = stdin, TimeoutMs = timeoutMs, OutputBytes = outputBytes }, emit, timeoutMs, outputBytes, cancellationToken);
        result.CompileOutput = compileOutput ?? "";
        return result;
    }

    private async Task<(ExecResult? Failed, string Output)> CompileAsync(Sandbox sandbox, IReadOnlyList<string> compile, Dictionary<string, string> env, CancellationToken cancellationToken)
    {
        var listing = (AgentFileList)AgentRequestException.Check(await sandbox.Agent.CallAsync(new AgentListFiles(), null, cancellationToken));
        var sources = listing.Entries.Where(e => !e.IsDirectory && sandbox.Runtime.SourceExtensions.Any(ext => e.Path.EndsWith(ext, StringComparison.Ordinal)))
            .Select(e => e.Path).Order(StringComparer.Ordinal).ToList();
        if (sources.Count == 0)
        {
            return (new ExecResult { Status = ExecStatus.CompileError, CompileOutput = $"no {string.Join("/", sandbox.Runtime.SourceExtensions)} source files to compile", Error = "nothing to compile" }, "");
        }

        var output = new StringBuilder();
        var compileTimeout = registry.Defaults.CompileTimeoutMs;
        var started = Stopwatch.GetTimestamp();
        var reply = await sandbox.Agent.CallAsync(
            new AgentSpawn { Argv = CommandTemplate.Expand(compile, "", [], sources), Env = env, TimeoutMs = compileTimeout, OutputBytes = CompileOutputLimit },
            (_, data) =>
            {
                output.Append(Encoding.UTF8.GetString(data.Span));
                return ValueTask.CompletedTask;
            },
            cancellationToken);
        if (reply is AgentError error)
        {
            return (new ExecResult { Status = ExecStatus.Error, Error = $"the compiler could not start: {error.Message}" }, "");
        }

        var exit = (AgentExit)reply;
        if (exit.ExitCode == 0 && !exit.TimedOut)
        {
            return (null, output.ToString());
        }

        if (exit.TimedOut)
        {
            output.Append(System.Globalization.CultureInfo.InvariantCulture, $"\ncompilation timed out after {compileTimeout} ms");
        }

        return (new ExecResult
        {
            Status = ExecStatus.CompileError,
            CompileOutput = output.ToString(),
            Error = exit.TimedOut ? "compilation timed out" : "compilation failed",
            DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            StartedAtUnixMs = exit.StartedAtUnixMs,
        }, output.ToString());
    }

    private async Task<ExecResult> RunStepAsync(Sandbox sandbox, AgentRequest request, ExecSink emit, long timeoutMs, long outputBytes, CancellationToken cancellationToken)
    {
        var before = cgroups.Read(sandbox.CgroupsPath);
        cgroups.ResetPeak(sandbox.CgroupsPath);
        using var backstop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        backstop.CancelAfter(TimeSpan.FromMilliseconds(timeoutMs) + Backstop);
        var started = DateTimeOffset.UtcNow;
        AgentReply reply;
        try
        {
            reply = await sandbox.Agent.CallAsync(request, (stream, data) => emit(new ExecEvent
            {
                Output = new OutputChunk
                {
                    Stream = stream == AgentFrameKind.Stdout ? OutputStream.Stdout : OutputStream.Stderr,
                    Data = ByteString.CopyFrom(data.Span),
                },
            }), backstop.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ExecResult { Status = ExecStatus.Timeout, Error = $"wall-clock timeout of {timeoutMs} ms exceeded (the agent did not answer in time)", DurationMs = (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds, StartedAtUnixMs = started.ToUnixTimeMilliseconds() };
        }

        if (reply is AgentError error)
        {
            return error.Code == AgentErrorCodes.SpawnFailed
                ? new ExecResult { Status = ExecStatus.Failed, HasExitCode = true, ExitCode = 127, Error = error.Message, StartedAtUnixMs = started.ToUnixTimeMilliseconds() }
                : throw new AgentRequestException(error.Code, error.Message);
        }

        var exit = (AgentExit)reply;
        var after = cgroups.Read(sandbox.CgroupsPath);
        var (status, why) = ExecClassifier.Classify(exit, after.OomKills > before.OomKills, timeoutMs, sandbox.Limits.MemoryMb, outputBytes);
        var result = new ExecResult
        {
            Status = status,
            HasExitCode = exit.ExitCode is not null && status is not (ExecStatus.Timeout or ExecStatus.OutputLimit or ExecStatus.MemoryLimit),
            ExitCode = exit.ExitCode ?? 0,
            Signal = exit.Signal ?? "",
            StdoutTruncated = exit.StdoutTruncated,
            StderrTruncated = exit.StderrTruncated,
            DurationMs = exit.DurationMs,
            StartedAtUnixMs = exit.StartedAtUnixMs,
            Error = status is ExecStatus.Succeeded or ExecStatus.Failed ? "" : why,
            Usage = new Usage { CpuMs = Math.Max(0, after.CpuNanoseconds - before.CpuNanoseconds) / 1_000_000, PeakMemoryBytes = after.PeakMemoryBytes },
        };
        if (status == ExecStatus.Failed && exit.Signal is not null)
        {
            result.Error = why;
        }

        return result;
    }

    private static long Bounded(long requested, long sandboxDefault, long? max, string name)
    {
        var value = requested > 0 ? requested : sandboxDefault;
        return max is { } ceiling && value > ceiling
            ? throw new BadExecRequestException($"{name} must be at most {ceiling}, got {value}")
            : value;
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> sandboxEnv, IDictionary<string, string> requestEnv)
    {
        var env = new Dictionary<string, string>(sandboxEnv, StringComparer.Ordinal);
        foreach (var (key, value) in requestEnv)
        {
            env[key] = value;
        }

        return env;
    }

    private static void Require(string text, string what)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new BadExecRequestException($"the {what} is empty");
        }
    }
}
