using System.Text;
using Cordon.ControlPlane.Requests;
using Google.Protobuf;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>Turns a validated job into the runner's <c>RunJob</c> message.</summary>
internal sealed class RunJobRequestBuilder(RequestLimits limits)
{
    public RunnerV1.RunJobRequest Build(ValidatedJob job, string tenant, string jobId)
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
        foreach (var (key, value) in request.Env ?? new Dictionary<string, string>())
        {
            runJob.Env[key] = value;
        }

        return runJob;
    }
}
