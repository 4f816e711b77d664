using System.Text;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Requests;
using Google.Protobuf;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>Turns a validated job into the runner's <c>RunJob</c> message.</summary>
internal sealed class RunJobRequestBuilder(RequestLimits limits)
{
    public RunnerV1.RunJobRequest Build(ValidatedJob job, string tenant, string jobId, IReadOnlyList<DependencyRule> packages)
    {
        var request = job.Request;
        var runJob = new RunnerV1.RunJobRequest
        {
            Tenant = tenant,
            JobId = jobId,
            Language = job.Language,
            Limits = job.Limits,
            Entrypoint = job.Entrypoint,
            Stdin = ByteString.CopyFrom(Encoding.UTF8.GetBytes(request.Stdin ?? "")),
            MaxArtifactBytes = limits.Max.MaxArtifactBytes,
        };
        runJob.Files.AddRange(job.Files.Select(f => new RunnerV1.File { Path = f.Path, Content = ByteString.CopyFrom(f.Content) }));
        runJob.Args.AddRange(request.Args ?? []);
        runJob.ArtifactGlobs.AddRange(request.Artifacts ?? []);
        runJob.Egress.AddRange(job.Features.Egress);
        runJob.Dependencies.AddRange(job.Features.Dependencies.Select(d => d.ToolSpec));
        // The installer admits the allowlist's packages (transitive ones included); without one, the requested alone.
        runJob.PackageRules.AddRange(packages.Count > 0
            ? packages.Select(p => new RunnerV1.PackageRule { Name = p.Name, Constraint = p.Version ?? "" })
            : job.Features.Dependencies.Select(d => new RunnerV1.PackageRule { Name = d.Name, Constraint = d.Constraint }));
        foreach (var (key, value) in request.Env ?? new Dictionary<string, string>())
        {
            runJob.Env[key] = value;
        }

        return runJob;
    }
}
