using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Execution;

/// <summary>Runs commands, code and programs in a sandbox through its agent, one at a time, and classifies them.</summary>
internal sealed class ExecutionService
{
    /// <summary>Where compiled programs go; inside the sandbox's /tmp tmpfs, never the workspace.</summary>
    public const string BuildDir = "/tmp/cordon-build";

    private const int MinCompileTimeoutMs = 30_000;
    private const int MaxCompileOutputBytes = 256 * 1024;

    public sealed record ProgramRequest
    {
        public string? Entrypoint { get; init; }
        public IReadOnlyList<string> Args { get; init; } = [];
        public byte[]? Stdin { get; init; }
        public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
        public long TimeoutMs { get; init; }
        public long OutputBytes { get; init; }
        /// <summary>Files of the workspace, when the caller knows them; otherwise the agent lists them.</summary>
        public IReadOnlyList<string>? Files { get; init; }
    }

    /// <summary>Compiles when the runtime compiles, then runs the entry point.</summary>
    public async Task<ExecOutcome> RunProgramAsync(Sandbox sandbox, ProgramRequest request, OutputSink output, Func<bool, ValueTask>? onPhase, CancellationToken cancellationToken)
    {
        var runtime = sandbox.Runtime;
        var entrypoint = WorkspacePath.Validate(string.IsNullOrEmpty(request.Entrypoint) ? runtime.FileName : request.Entrypoint);
        await sandbox.ExecLock.WaitAsync(cancellationToken);
        try
        {
            string? compileOutput = null;
            if (runtime.Compiled)
            {
                if (onPhase is not null)
                {
                    await onPhase(true);
                }

                var files = request.Files ?? await ListFilesAsync(sandbox, cancellationToken);
                var sources = files.Where(f => runtime.SourceExtensions.Any(ext => f.EndsWith(ext, StringComparison.Ordinal))).Order(StringComparer.Ordinal).ToList();
                if (sources.Count == 0)
                {
                    sources.Add(entrypoint);
                }

                var compile = runtime.Compile!.SelectMany(a => a == "{sources}" ? sources : [a]);
                var log = new MemoryStream();
                var compiled = await RunAgentAsync(sandbox, new AgentSpawn
                {
                    Argv = ["/bin/sh", "-c", $"mkdir -p {BuildDir} && exec \"$@\"", "cordon-compile", .. compile],
                    Env = Merge(sandbox.Env, request.Env),
                    TimeoutMs = Math.Max(Timeout(sandbox, request), MinCompileTimeoutMs),
                    OutputBytes = MaxCompileOutputBytes,
                }, (_, data) =>
                {
                    log.Write(data.Span);
                    return ValueTask.CompletedTask;
                }, cancellationToken);
                compileOutput = Encoding.UTF8.GetString(log.GetBuffer(), 0, (int)log.Length);
                if (compiled.Status != JobStatus.Succeeded)
                {
                    return compiled with
                    {
                        Status = compiled.Status == JobStatus.Failed ? JobStatus.CompileError : compiled.Status,
                        Error = compiled.Status == JobStatus.Failed ? "Compilation failed." : compiled.Error,
                        CompileOutput = compileOutput,
                        ExitCode = compiled.ExitCode,
                    };
                }
            }

            if (onPhase is not null)
            {
                await onPhase(false);
            }

            var argv = runtime.Run.Select(a => a == "{entrypoint}" ? entrypoint : a).Concat(request.Args).ToList();
            var run = await RunAgentAsync(sandbox, new AgentSpawn
            {
                Argv = argv,
                Env = Merge(sandbox.Env, request.Env),
                Stdin = request.Stdin,
                TimeoutMs = Timeout(sandbox, request),
                OutputBytes = request.OutputBytes > 0 ? request.OutputBytes : sandbox.Limits.OutputBytes,
            }, output, cancellationToken);
            return run with { CompileOutput = compileOutput };
        }
        finally
        {
            sandbox.ExecLock.Release();
        }
    }

    /// <summary>A shell command (<c>/bin/sh -c</c>).</summary>
    public Task<ExecOutcome> RunCommandAsync(Sandbox sandbox, string command, ProgramRequest request, OutputSink output, CancellationToken cancellationToken) =>
        LockedAsync(sandbox, () => RunAgentAsync(sandbox, new AgentSpawn
        {
            Argv = ["/bin/sh", "-c", command],
            Env = Merge(sandbox.Env, request.Env),
            Stdin = request.Stdin,
            TimeoutMs = Timeout(sandbox, request),
            OutputBytes = request.OutputBytes > 0 ? request.OutputBytes : sandbox.Limits.OutputBytes,
        }, output, cancellationToken), cancellationToken);

    /// <summary>Code for the runtime's persistent interpreter.</summary>
    public Task<ExecOutcome> RunCodeAsync(Sandbox sandbox, string code, ProgramRequest request, OutputSink output, CancellationToken cancellationToken)
    {
        var repl = sandbox.Runtime.Repl
            ?? throw new SandboxException(SandboxError.InvalidArgument, $"{sandbox.Runtime.Language} has no persistent interpreter; run a program instead.");
        return LockedAsync(sandbox, () => RunAgentAsync(sandbox, new AgentRepl
        {
            Argv = repl,
            Code = code,
            Env = Merge(sandbox.Env, request.Env),
            Stdin = request.Stdin,
            TimeoutMs = Timeout(sandbox, request),
            OutputBytes = request.OutputBytes > 0 ? request.OutputBytes : sandbox.Limits.OutputBytes,
        }, output, cancellationToken), cancellationToken);
    }

    private static async Task<ExecOutcome> LockedAsync(Sandbox sandbox, Func<Task<ExecOutcome>> run, CancellationToken cancellationToken)
    {
        await sandbox.ExecLock.WaitAsync(cancellationToken);
        try
        {
            return await run();
        }
        finally
        {
            sandbox.ExecLock.Release();
        }
    }

    private static async Task<ExecOutcome> RunAgentAsync(Sandbox sandbox, AgentRequest request, OutputSink output, CancellationToken cancellationToken)
    {
        sandbox.Cgroup.ResetPeak();
        var before = sandbox.Cgroup.Read();
        AgentExit? exit = null;
        string? error = null;
        var cancelled = false;
        try
        {
            var reply = await sandbox.Agent.SendAsync(request, (kind, data) => output(kind == AgentFrameKind.Stderr, data), cancellationToken);
            switch (reply)
            {
                case AgentExit e:
                    exit = e;
                    break;
                case AgentError e when e.Code is AgentErrorCodes.InvalidPath or AgentErrorCodes.BadRequest:
                    throw new SandboxException(SandboxError.InvalidArgument, e.Message);
                case AgentError e:
                    error = $"{e.Code}: {e.Message}";
                    break;
                default:
                    error = $"Unexpected agent reply {reply.GetType().Name}.";
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            error = $"Lost the sandbox agent: {e.Message}";
        }

        var after = sandbox.Cgroup.Read();
        var (status, why) = OutcomeClassifier.Classify(exit, after.OomKills - before.OomKills, cancelled, error);
        return new ExecOutcome
        {
            Status = status,
            ExitCode = exit?.ExitCode,
            Signal = exit?.Signal,
            StdoutTruncated = exit?.StdoutTruncated ?? false,
            StderrTruncated = exit?.StderrTruncated ?? false,
            DurationMs = exit?.DurationMs ?? 0,
            StartedAtUnixMs = exit?.StartedAtUnixMs ?? 0,
            CpuMs = Math.Max(0, (after.CpuNanoseconds - before.CpuNanoseconds) / 1_000_000),
            PeakMemoryBytes = after.PeakMemoryBytes,
            Error = why,
        };
    }

    private static async Task<IReadOnlyList<string>> ListFilesAsync(Sandbox sandbox, CancellationToken cancellationToken)
    {
        var list = await sandbox.Agent.CallAsync<AgentFileList>(new AgentListFiles(), cancellationToken);
        return [.. list.Entries.Where(e => !e.IsDirectory).Select(e => e.Path)];
    }

    private static long Timeout(Sandbox sandbox, ProgramRequest request) => request.TimeoutMs > 0 ? request.TimeoutMs : sandbox.Limits.TimeoutMs;

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> first, IReadOnlyDictionary<string, string> second)
    {
        var env = new Dictionary<string, string>(first, StringComparer.Ordinal);
        foreach (var (k, v) in second)
        {
            env[k] = v;
        }

        return env;
    }
}
