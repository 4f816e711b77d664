using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Agent;
using Cordon.Runner.Dependencies;
using Cordon.Runner.Egress;
using Cordon.Runner.Observability;
using Cordon.Runner.Sandboxes;
using Cordon.Runner.Workspaces;

namespace Cordon.Runner.Execution;

/// <summary>
/// One-shot jobs: a fresh sandbox, the files written, compile and run, artifacts collected, and the sandbox
/// destroyed off the critical path. The runner owns the sandbox for the whole job, so none is ever leaked. A job
/// with dependencies has them installed first (<see cref="DependencyInstaller"/>) and mounted read-only.
/// </summary>
internal sealed class OneShotJobs(SandboxManager sandboxes, SandboxExecutor executor, DependencyInstaller installer)
{
    public async Task<ExecResult> RunAsync(RunJobRequest request, ExecSink emit, CancellationToken cancellationToken)
    {
        await emit(new ExecEvent { Phase = Phase.Starting });
        InstallOutcome? installed = null;
        if (request.Dependencies.Count > 0)
        {
            installed = await installer.InstallAsync(request, emit, cancellationToken);
            if (installed.Lease is null)
            {
                return installed.ToResult();
            }
        }

        Sandbox sandbox;
        try
        {
            var packages = installed?.Lease is { } lease ? new PackageMount(lease.Directory, Writable: false, lease) : null;
            var env = packages is not null && sandboxes.Registry.TryGet(request.Language, out var runtime) ? PackageMount.Environment(runtime.Language) : new Dictionary<string, string>();
            sandbox = await sandboxes.CreateAsync(
                new SandboxRequest(request.Tenant, request.Language, request.Limits, env, OneShot: true, Secrets: request.Secrets, Egress: request.Egress, Packages: packages),
                cancellationToken);
        }
        catch
        {
            installed?.Lease?.Dispose();
            throw;
        }

        try
        {
            // A file without a path is the job's `code`: it goes to the runtime's file name.
            var files = request.Files.Select(f => f.Path.Length > 0 ? f : new Contracts.Runner.V1.File(f) { Path = sandbox.Runtime.FileName }).ToList();
            var written = await SandboxWorkspace.WriteAsync(sandbox, files, cancellationToken);
            var exec = new ExecRequest
            {
                Mode = ExecMode.Program,
                Entrypoint = request.Entrypoint,
                Stdin = request.Stdin,
                Env = { request.Env },
                Args = { request.Args },
            };
            var result = await executor.ExecAsync(sandbox, exec, emit, cancellationToken, written);
            if (installed is not null)
            {
                result.SetupOutput = installed.Output;
                result.SetupMs = installed.DurationMs;
            }

            if (request.ArtifactGlobs.Count > 0 && result.Status is not ExecStatus.CompileError)
            {
                using var collecting = RunnerTelemetry.Phase("collect");
                result.Artifacts.AddRange(await ArtifactCollector.CollectAsync(sandbox, request.ArtifactGlobs, request.MaxArtifactBytes, cancellationToken));
                ArtifactSealer.Seal(request, result.Artifacts);
            }

            if (sandbox.Egress is { } proxy)
            {
                // The job is over: closing the proxy ends what its programs left open, so every connection is reported.
                await proxy.DisposeAsync();
                result.Network = NetworkUsageReport.Of(proxy);
            }

            return result;
        }
        finally
        {
            sandboxes.DestroyInBackground(sandbox.Id);
        }
    }
}
