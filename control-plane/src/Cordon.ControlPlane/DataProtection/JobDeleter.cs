using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.DataProtection;

/// <summary><c>DELETE /v1/jobs/{id}</c>: a finished job of the caller's tenant crypto-shredded and deleted, audited.</summary>
internal sealed class JobDeleter(JobStore store, WorkspaceDataEraser eraser, RequestContext context, IAuditSink audit)
{
    public async Task DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        var job = await store.FindAsync(jobId, cancellationToken) ?? throw JobReader.NotFound(jobId);
        if (job.FinishedAt is null)
        {
            throw new ConflictException($"Job '{jobId}' is {job.Status.ToWireName()}; cancel it (POST /v1/jobs/{jobId}/cancel) and delete it once it has ended.");
        }

        if (!await eraser.EraseJobAsync(tenant, jobId, cancellationToken))
        {
            throw JobReader.NotFound(jobId); // deleted meanwhile by another request or the retention pass
        }

        await audit.WriteAsync(new AuditEvent(AuditActions.JobDelete, tenant, context.Subject, jobId, "deleted", context.AuthBypassed), cancellationToken);
    }
}
