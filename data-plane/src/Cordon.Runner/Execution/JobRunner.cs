using System.Security.Cryptography;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.Runner.Hosting;
using Cordon.Runner.Sandboxes;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.Execution;

/// <summary>
/// The one-shot path: a fresh sandbox, files written, compile and run, artifacts collected, and the sandbox
/// destroyed in the background once the result is known, so the caller never waits for teardown.
/// </summary>
internal sealed class JobRunner(SandboxManager sandboxes, ExecutionService execution, IOptions<RunnerOptions> options)
{
    public async Task<ExecOutcome> RunAsync(JobRequest job, OutputSink output, Func<int, ValueTask>? onPhase, CancellationToken cancellationToken)
    {
        foreach (var file in job.Files)
        {
            WorkspacePath.Validate(file.Path);
        }

        if (onPhase is not null)
        {
            await onPhase(1);
        }

        var sandbox = await sandboxes.CreateAsync(new SandboxRequest
        {
            Language = job.Language,
            Limits = job.Limits,
            Tenant = job.Tenant,
            OwnerId = job.JobId,
            OneShot = true,
        }, cancellationToken);
        try
        {
            await Task.WhenAll(job.Files.Select(f => sandbox.Agent.CallAsync<AgentOk>(
                new AgentWriteFile { Path = f.Path, Content = f.Content, Mode = f.Mode == 0 ? 420 : f.Mode }, cancellationToken)));
            var outcome = await execution.RunProgramAsync(sandbox, new ExecutionService.ProgramRequest
            {
                Entrypoint = job.Entrypoint,
                Args = job.Args,
                Stdin = job.Stdin,
                Env = job.Env,
                Files = [.. job.Files.Select(f => f.Path)],
            }, output, onPhase is null ? null : compiling => onPhase(compiling ? 2 : 3), cancellationToken);
            if (job.ArtifactGlobs.Count > 0 && outcome.Status is not (JobStatus.Error or JobStatus.Cancelled))
            {
                outcome = outcome with { Artifacts = await CollectAsync(sandbox, job, cancellationToken) };
            }

            return outcome;
        }
        catch (AgentException e) when (e.Code is AgentErrorCodes.InvalidPath or AgentErrorCodes.BadRequest)
        {
            throw new SandboxException(SandboxError.InvalidArgument, e.Message);
        }
        finally
        {
            sandboxes.DestroyInBackground(sandbox);
        }
    }

    private async Task<IReadOnlyList<CollectedArtifact>> CollectAsync(Sandbox sandbox, JobRequest job, CancellationToken cancellationToken)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(job.ArtifactGlobs);
        var list = await sandbox.Agent.CallAsync<AgentFileList>(new AgentListFiles(), cancellationToken);
        var files = list.Entries.Where(e => !e.IsDirectory).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var matched = matcher.Match(files.Keys).Files.Select(m => m.Path).Order(StringComparer.Ordinal);
        var budget = job.MaxArtifactBytes > 0 ? job.MaxArtifactBytes : options.Value.MaxArtifactBytes;
        var artifacts = new List<CollectedArtifact>();
        foreach (var path in matched)
        {
            if (!files.TryGetValue(path, out var entry) || entry.Size > budget)
            {
                continue;
            }

            // Read through the agent: the runner never follows a path the job controls on the host.
            var content = await sandbox.Agent.CallAsync<AgentFileContent>(new AgentReadFile { Path = path, MaxBytes = budget }, cancellationToken);
            budget -= content.Content.Length;
            artifacts.Add(new CollectedArtifact(path, content.Content, Convert.ToHexStringLower(SHA256.HashData(content.Content))));
        }

        return artifacts;
    }
}
