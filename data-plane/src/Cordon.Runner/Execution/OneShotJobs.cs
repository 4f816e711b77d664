using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Execution;

/// <summary>
/// A one-shot job: a fresh sandbox, the files written, compile and run, artifacts collected, and the sandbox
/// destroyed off the critical path. The runner owns the sandbox for the whole job, so none is ever leaked.
/// </summary>
internal sealed class JobRunner(SandboxManager sandboxes, SandboxExecutor executor)
{
    public async Task<ExecResult> RunAsync(RunJobRequest request, ExecSink emit, CancellationToken cancellationToken)
    {
        await emit(new ExecEvent { Phase = Phase.Starting });
        var sandbox = await sandboxes.CreateAsync(new SandboxRequest(request.Tenant, request.Language, request.Limits, new Dictionary<string, string>(), OneShot: true), cancellationToken);
        try
        {
            // A file without a path is the job's `code`: it goes to the runtime's file name.
            await WriteFilesAsync(sandbox, request.Files.Select(f => f.Path.Length > 0 ? f : new Contracts.Runner.V1.File(f) { Path = sandbox.Runtime.FileName }), cancellationToken);
            var exec = new ExecRequest
            {
                Mode = ExecMode.Program,
                Entrypoint = request.Entrypoint,
                Stdin = request.Stdin,
                Env = { request.Env },
                Args = { request.Args },
            };
            var result = await executor.ExecAsync(sandbox, exec, emit, cancellationToken);
            if (request.ArtifactGlobs.Count > 0 && result.Status is not ExecStatus.CompileError)
            {
                result.Artifacts.AddRange(await ArtifactCollector.CollectAsync(sandbox, request.ArtifactGlobs, request.MaxArtifactBytes, cancellationToken));
            }

            return result;
        }
        finally
        {
            sandboxes.DestroyInBackground(sandbox.Id);
        }
    }

    public static async Task WriteFilesAsync(Sandbox sandbox, IEnumerable<Contracts.Runner.V1.File> files, CancellationToken cancellationToken)
    {
        var writes = files.Select(async file =>
        {
            var reply = await sandbox.Agent.CallAsync(new AgentWriteFile { Path = file.Path, Content = file.Content.ToByteArray(), Mode = (int)file.Mode }, null, cancellationToken);
            AgentRequestException.Check(reply);
        });
        await Task.WhenAll(writes);
    }
}
