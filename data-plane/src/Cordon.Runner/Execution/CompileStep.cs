using System.Globalization;
using System.Text;
using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Agent;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Cordon.Runner.Workspaces;

namespace Cordon.Runner.Execution;

/// <summary>
/// The compile of a compiled language's program: its sources (the files the job wrote, or in a session what the
/// workspace holds), the registry's compile command under the compile timeout, and its output kept for the result.
/// </summary>
internal sealed class CompileStep(RuntimeRegistry registry, TimeProvider time)
{
    private const long OutputLimit = 1024 * 1024;

    /// <summary>Null when it compiled; otherwise the result that ends the execution (compile error, compiler missing).</summary>
    public async Task<(ExecResult? Failed, string Output)> RunAsync(
        Sandbox sandbox, IReadOnlyList<string> compile, Dictionary<string, string> env, IReadOnlyList<string>? writtenFiles, CancellationToken cancellationToken)
    {
        var runtime = sandbox.Runtime;
        var candidates = writtenFiles ?? [.. (await SandboxWorkspace.ListAsync(sandbox, null, cancellationToken)).Where(e => !e.IsDirectory).Select(e => e.Path)];
        var sources = candidates.Where(p => runtime.SourceExtensions.Any(ext => p.EndsWith(ext, StringComparison.Ordinal))).Distinct().Order(StringComparer.Ordinal).ToList();
        if (sources.Count == 0)
        {
            return (new ExecResult { Status = ExecStatus.CompileError, CompileOutput = $"no {string.Join("/", runtime.SourceExtensions)} source files to compile", Error = "nothing to compile" }, "");
        }

        var output = new StringBuilder();
        var timeoutMs = registry.Defaults.CompileTimeoutMs;
        var started = time.GetTimestamp();
        AgentExit exit;
        try
        {
            exit = await sandbox.Agent.CallAsync<AgentExit>(
                new AgentSpawn { Argv = CommandTemplate.Expand(compile, "", [], sources), Env = env, TimeoutMs = timeoutMs, OutputBytes = OutputLimit },
                (_, data) =>
                {
                    output.Append(Encoding.UTF8.GetString(data.Span));
                    return ValueTask.CompletedTask;
                },
                TimeSpan.FromMilliseconds(timeoutMs) + SandboxExecutor.Backstop,
                cancellationToken);
        }
        catch (AgentRequestException e)
        {
            return (new ExecResult { Status = ExecStatus.Error, Error = $"the compiler could not start: {e.Message}" }, "");
        }

        if (exit.ExitCode == 0 && !exit.TimedOut)
        {
            return (null, output.ToString());
        }

        if (exit.TimedOut)
        {
            output.Append(CultureInfo.InvariantCulture, $"\ncompilation timed out after {timeoutMs} ms");
        }

        return (ExecResults.CompileFailed(exit, output.ToString(), (long)time.GetElapsedTime(started).TotalMilliseconds), output.ToString());
    }
}
