using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Agent;
using Cordon.Runner.Observability;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Google.Protobuf;

namespace Cordon.Runner.Execution;

/// <summary>
/// Runs one execution in a sandbox through its agent — a shell command, code for the persistent interpreter, or
/// the compile-then-run of a program — streaming output, then reading usage from the cgroup and saying why it
/// ended (<see cref="ExecResults"/>). The agent enforces the wall clock and output limit; this class keeps a
/// backstop in case it cannot.
/// </summary>
internal sealed class SandboxExecutor(CgroupStats cgroups, RuntimeRegistry registry, CompileStep compiler, TimeProvider time)
{
    internal static readonly TimeSpan Backstop = TimeSpan.FromSeconds(5);

    /// <param name="writtenFiles">The files a one-shot job wrote, which a compile takes as its sources; null in a session (the workspace is listed).</param>
    public async Task<ExecResult> ExecAsync(Sandbox sandbox, ExecRequest request, ExecSink emit, CancellationToken cancellationToken, IReadOnlyList<string>? writtenFiles = null)
    {
        var result = await ExecuteAsync(sandbox, request, emit, cancellationToken, writtenFiles);
        RunnerMetrics.Ended(result);
        return result;
    }

    private async Task<ExecResult> ExecuteAsync(Sandbox sandbox, ExecRequest request, ExecSink emit, CancellationToken cancellationToken, IReadOnlyList<string>? writtenFiles)
    {
        using var turn = await ExecGate.EnterAsync(sandbox, cancellationToken);
        var timeoutMs = ExecLimits.Bounded(request.TimeoutMs, sandbox.Limits.TimeoutMs, registry.Defaults.MaxLimits.TimeoutMs, "timeoutMs");
        var outputBytes = ExecLimits.Bounded(request.OutputBytes, sandbox.Limits.OutputBytes, registry.Defaults.MaxLimits.OutputBytes, "outputBytes");
        var env = ExecLimits.Environment(sandbox.Env, request.Env, sandbox.SecretEnv);
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
                return await RunProgramAsync(sandbox, request, env, stdin, timeoutMs, outputBytes, emit, writtenFiles, cancellationToken);
            default:
                throw new BadExecRequestException("mode must be command, code or program");
        }
    }

    private async Task<ExecResult> RunProgramAsync(Sandbox sandbox, ExecRequest request, Dictionary<string, string> env, byte[] stdin, long timeoutMs, long outputBytes, ExecSink emit, IReadOnlyList<string>? writtenFiles, CancellationToken cancellationToken)
    {
        var runtime = sandbox.Runtime;
        var entrypoint = string.IsNullOrEmpty(request.Entrypoint) ? runtime.FileName : request.Entrypoint;
        string? compileOutput = null;
        if (runtime.Compile is { Count: > 0 } compile)
        {
            await emit(new ExecEvent { Phase = Phase.Compiling });
            using var compiling = RunnerTelemetry.Phase("compile");
            var (failed, output) = await compiler.RunAsync(sandbox, compile, env, writtenFiles, cancellationToken);
            compileOutput = output;
            if (failed is not null)
            {
                return failed;
            }
        }

        await emit(new ExecEvent { Phase = Phase.Running });
        var argv = CommandTemplate.Expand(runtime.Run, entrypoint, [.. request.Args], []);
        var result = await RunStepAsync(sandbox, new AgentSpawn { Argv = argv, Env = env, Stdin = stdin, TimeoutMs = timeoutMs, OutputBytes = outputBytes }, emit, timeoutMs, outputBytes, cancellationToken);
        result.CompileOutput = compileOutput ?? "";
        return result;
    }

    private async Task<ExecResult> RunStepAsync(Sandbox sandbox, AgentRequest request, ExecSink emit, long timeoutMs, long outputBytes, CancellationToken cancellationToken)
    {
        using var phase = RunnerTelemetry.Phase("run");
        var before = cgroups.Read(sandbox.CgroupsPath);
        cgroups.ResetPeak(sandbox.CgroupsPath);
        var started = time.GetUtcNow();
        AgentExit exit;
        try
        {
            exit = await sandbox.Agent.CallAsync<AgentExit>(request, (stream, data) => emit(new ExecEvent
            {
                Output = new OutputChunk
                {
                    Stream = stream == AgentFrameKind.Stdout ? OutputStream.Stdout : OutputStream.Stderr,
                    Data = ByteString.CopyFrom(data.Span),
                },
            }), TimeSpan.FromMilliseconds(timeoutMs) + Backstop, cancellationToken);
        }
        catch (AgentUnavailableException e) when (e.DeadlinePassed)
        {
            return ExecResults.AgentTimedOut(timeoutMs, started, time.GetUtcNow());
        }
        catch (AgentUnavailableException) when (cgroups.Read(sandbox.CgroupsPath).OomKills > before.OomKills)
        {
            // The memory cgroup killed the sandbox itself, not only the program: under runsc its victim is the
            // Sentry, which holds every page of the job (the sandbox ends with it; the output streamed so far stays).
            return ExecResults.SandboxOomKilled(before, cgroups.Read(sandbox.CgroupsPath), sandbox.Limits.MemoryMb, started, time.GetUtcNow());
        }
        catch (AgentRequestException e) when (e.Code == AgentErrorCodes.SpawnFailed)
        {
            return ExecResults.SpawnFailed(e.Message, started);
        }

        return ExecResults.FromExit(exit, before, cgroups.Read(sandbox.CgroupsPath), timeoutMs, sandbox.Limits.MemoryMb, outputBytes);
    }

    private static void Require(string text, string what)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new BadExecRequestException($"the {what} is empty");
        }
    }
}
