using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Storage;
using Cordon.Encryption;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// A job's collected artifacts: served only when the path is in the job's artifact list, decrypted on the way out
/// one chunk at a time (the object store holds ciphertext only).
/// </summary>
internal sealed class JobArtifacts(JobStore store, RequestContext context, IObjectStore objects, DataKeys keys)
{
    public async Task<(Stream Content, ArtifactInfo Info)> OpenAsync(string jobId, string path, CancellationToken cancellationToken)
    {
        // The job row only: the list of artifacts, without assembling its output.
        var job = (await store.FindAsync(jobId, cancellationToken) ?? throw JobReader.NotFound(jobId)).ToSummary();
        if (job.OutputExpiredAt is { } expiredAt)
        {
            throw new NotFoundException($"The output of job '{jobId}' expired at {expiredAt:O} (Cordon:Retention); its artifacts were deleted.");
        }

        var artifact = job.Artifacts.FirstOrDefault(a => a.Path == path)
            ?? throw new NotFoundException($"Job '{jobId}' has no artifact '{path}'.");
        var tenant = context.RequiredTenant;
        var dataKey = await keys.FindAsync(tenant, jobId, cancellationToken)
            ?? throw new NotFoundException($"The data key of job '{jobId}' was destroyed; its artifacts can no longer be read.");
        var stream = await objects.OpenReadAsync(ArtifactKeys.For(tenant, jobId, artifact.Path), cancellationToken)
            ?? throw new NotFoundException($"The content of artifact '{path}' of job '{jobId}' is gone.");
        return (await DecryptingStream.OpenAsync(stream, dataKey, ArtifactContext.For(tenant, jobId, artifact.Path), cancellationToken), artifact);
    }
}
