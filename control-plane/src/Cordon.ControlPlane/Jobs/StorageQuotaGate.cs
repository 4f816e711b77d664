using System.Globalization;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Refuses new work of a tenant whose stored output and artifacts are at or over its storage quota
/// (<see cref="IStorageQuota"/>): 429 <c>quota-exceeded</c> naming the quota. A job admitted under the quota may take
/// the tenant over it — what is accepted is never cut short for storage — and the next one is refused. Retry-After
/// is when retention next frees room, when it is on.
/// </summary>
internal sealed class StorageQuotaGate(
    CordonDbContext db,
    IStorageQuota quota,
    IOptions<OutputRetentionOptions> retention,
    TimeProvider timeProvider)
{
    public async Task EnsureRoomAsync(string tenant, CancellationToken cancellationToken)
    {
        if (quota.LimitBytes(tenant) is not { } limit)
        {
            return;
        }

        var used = await TenantStorage.UsedBytesAsync(db, tenant, cancellationToken);
        if (used < limit)
        {
            return;
        }

        throw new StorageQuotaExceededException(
            string.Create(CultureInfo.InvariantCulture,
                $"Tenant '{tenant}' stores {used} bytes of job output and artifacts, at or over its storage quota of {limit} bytes; new jobs are refused until retention deletes old output or the quota is raised."),
            used,
            limit,
            await RetryAfterAsync(tenant, cancellationToken));
    }

    private async Task<TimeSpan?> RetryAfterAsync(string tenant, CancellationToken cancellationToken)
    {
        var options = retention.Value;
        if (!options.Enabled)
        {
            return null;
        }

        var oldest = await db.Jobs.IgnoreQueryFilters()
            .Where(j => j.TenantId == tenant && j.OutputExpiredAt == null && j.FinishedAt != null)
            .OrderBy(j => j.FinishedAt)
            .Select(j => j.FinishedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (oldest is not { } finishedAt)
        {
            return null; // only running jobs hold output: nothing expires before they finish
        }

        var expires = finishedAt + options.Output - timeProvider.GetUtcNow();
        var sweep = TimeSpan.FromSeconds(options.SweepIntervalSeconds);
        return (expires > TimeSpan.Zero ? expires : TimeSpan.Zero) + sweep;
    }
}
