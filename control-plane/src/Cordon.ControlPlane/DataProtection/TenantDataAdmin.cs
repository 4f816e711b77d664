using Cordon.Contracts.Sessions;
using Cordon.Contracts.Tenants;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// <c>DELETE /v1/admin/tenants/{tenant}/data</c>: every job with its output and artifacts, every ended session and
/// every secret of the tenant deleted, each data key destroyed first — audited. Refused while the tenant has a job
/// queued or running or a session open (cancel or close them first), so nothing is deleted under a live sandbox.
/// The tenant's policy (an operator's document) and its audit records (append-only) stay. A call cut short is
/// finished by calling again.
/// </summary>
internal sealed class TenantDataAdmin(CordonDbContext db, WorkspaceDataEraser eraser, DataKeys keys, RequestContext context, IAuditSink audit)
{
    private const int BatchSize = 200;

    public async Task<TenantDataDeletion> DeleteAsync(string tenant, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenant))
        {
            throw RequestValidationException.For("tenant", "A tenant id is letters, digits, '-' and '_', at most 64, starting with a letter or digit.");
        }

        var activeJobs = await db.Jobs.IgnoreQueryFilters().CountAsync(j => j.TenantId == tenant && j.FinishedAt == null, cancellationToken);
        var openSessions = await db.Sessions.IgnoreQueryFilters().CountAsync(s => s.TenantId == tenant && s.Status != SessionStatus.Ended, cancellationToken);
        if (activeJobs + openSessions > 0)
        {
            throw new ConflictException(
                $"Tenant '{tenant}' has {activeJobs} job(s) queued or running and {openSessions} session(s) open; cancel the jobs and close the sessions, then delete its data.");
        }

        var dataKeys = await db.DataKeys.IgnoreQueryFilters().CountAsync(k => k.TenantId == tenant, cancellationToken);
        var jobs = 0;
        while (true)
        {
            var batch = await db.Jobs.IgnoreQueryFilters().AsNoTracking()
                .Where(j => j.TenantId == tenant && j.FinishedAt != null)
                .OrderBy(j => j.Id).Select(j => j.Id).Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var jobId in batch)
            {
                jobs += await eraser.EraseJobAsync(tenant, jobId, cancellationToken) ? 1 : 0;
            }
        }

        var sessions = 0;
        foreach (var sessionId in await db.Sessions.IgnoreQueryFilters().AsNoTracking()
                     .Where(s => s.TenantId == tenant && s.EndedAt != null).Select(s => s.Id).ToListAsync(cancellationToken))
        {
            sessions += await eraser.EraseSessionAsync(tenant, sessionId, cancellationToken) ? 1 : 0;
        }

        // Whatever no job or session row pointed at any more (a delete cut short before) goes too.
        await keys.ShredTenantAsync(tenant, cancellationToken);
        var secrets = await db.Secrets.IgnoreQueryFilters().Where(s => s.TenantId == tenant).ExecuteDeleteAsync(cancellationToken);
        await db.IdempotencyKeys.IgnoreQueryFilters().Where(k => k.TenantId == tenant).ExecuteDeleteAsync(cancellationToken);
        await db.TenantStorage.IgnoreQueryFilters().Where(t => t.TenantId == tenant).ExecuteDeleteAsync(cancellationToken);

        var deletion = new TenantDataDeletion { Tenant = tenant, Jobs = jobs, Sessions = sessions, Secrets = secrets, DataKeys = dataKeys };
        await audit.WriteAsync(new AuditEvent(AuditActions.TenantDataDelete, tenant, context.Subject, tenant, "deleted", context.AuthBypassed,
            $"jobs={jobs} sessions={sessions} secrets={secrets} dataKeys={dataKeys}"), cancellationToken);
        return deletion;
    }
}
