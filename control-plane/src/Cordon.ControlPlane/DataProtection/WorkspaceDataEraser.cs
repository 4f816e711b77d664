using System.Text.Json;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// Deletes a finished job the crypto-shredding way, for the job API, the tenant wipe and the retention pass alike:
/// first its data key (from then on its artifacts are noise, wherever copies went), then its objects, then its rows
/// in one transaction. Every step may be repeated and several replicas may erase the same job at once: the key and
/// object deletes are idempotent, and the row delete's count decides which caller takes the job's bytes off its
/// tenant's total, so nothing is subtracted twice. A crash part-way leaves the job row, and so the job, to the next
/// attempt.
/// </summary>
internal sealed class WorkspaceDataEraser(CordonDbContext db, DataKeys keys, IObjectStore objects)
{
    /// <summary>True when this call deleted the job; false when it was not there (or not finished, or erased meanwhile).</summary>
    public async Task<bool> EraseJobAsync(string tenant, string jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.TenantId == tenant && j.Id == jobId && j.FinishedAt != null)
            .Select(j => new { j.ArtifactsJson, j.StoredBytes, j.OutputExpiredAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (job is null)
        {
            return false;
        }

        await keys.ShredAsync(tenant, jobId, cancellationToken);
        foreach (var artifact in JsonSerializer.Deserialize(job.ArtifactsJson, ControlPlaneJsonContext.Default.ListArtifactInfo) ?? [])
        {
            await objects.DeleteAsync(ArtifactKeys.For(tenant, jobId, artifact.Path), cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Jobs.IgnoreQueryFilters()
            .Where(j => j.TenantId == tenant && j.Id == jobId && j.FinishedAt != null)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return false;
        }

        await db.JobEvents.IgnoreQueryFilters().Where(e => e.TenantId == tenant && e.JobId == jobId).ExecuteDeleteAsync(cancellationToken);
        await db.IdempotencyKeys.IgnoreQueryFilters().Where(k => k.TenantId == tenant && k.JobId == jobId).ExecuteDeleteAsync(cancellationToken);
        if (job.OutputExpiredAt is null)
        {
            // The output sweep already took an expired job's bytes off the total.
            await TenantStorage.AddAsync(db, tenant, -job.StoredBytes, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>An ended session's row and key (its executions are jobs, erased as such).</summary>
    public async Task<bool> EraseSessionAsync(string tenant, string sessionId, CancellationToken cancellationToken)
    {
        await keys.ShredAsync(tenant, sessionId, cancellationToken);
        return await db.Sessions.IgnoreQueryFilters()
            .Where(s => s.TenantId == tenant && s.Id == sessionId && s.EndedAt != null)
            .ExecuteDeleteAsync(cancellationToken) > 0;
    }
}
