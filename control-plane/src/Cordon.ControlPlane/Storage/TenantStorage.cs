using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Storage;

/// <summary>
/// The per-tenant running total of stored bytes. Callers change it in the transaction that stores or deletes the
/// bytes it counts, so the total never drifts from what is stored.
/// </summary>
internal static class TenantStorage
{
    /// <summary>Adds <paramref name="bytes"/> (negative: subtracts) to the tenant's total, creating its row on first use.</summary>
    public static async Task AddAsync(CordonDbContext db, string tenant, long bytes, CancellationToken cancellationToken)
    {
        if (bytes == 0)
        {
            return;
        }

        // One statement on both providers (SQLite ≥ 3.24 and PostgreSQL share this upsert), so concurrent writers of
        // one tenant add up instead of racing on a read-then-write.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO tenant_storage ("TenantId", "UsedBytes") VALUES ({tenant}, {bytes})
            ON CONFLICT ("TenantId") DO UPDATE SET "UsedBytes" = tenant_storage."UsedBytes" + excluded."UsedBytes"
            """,
            cancellationToken);
    }

    public static async Task<long> UsedBytesAsync(CordonDbContext db, string tenant, CancellationToken cancellationToken) =>
        await db.TenantStorage.IgnoreQueryFilters().Where(t => t.TenantId == tenant).Select(t => (long?)t.UsedBytes).FirstOrDefaultAsync(cancellationToken) ?? 0;
}
