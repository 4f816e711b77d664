using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// The <c>data_keys</c> rows: a fresh random 256-bit key per job or session, wrapped on the way in and unwrapped on
/// the way out; <see cref="ShredAsync"/> destroys one. Each statement names the tenant (background work acts for
/// many), besides the context's tenant filter.
/// </summary>
internal sealed class DataKeys(CordonDbContext db, DataKeyCipher cipher, TimeProvider timeProvider)
{
    /// <summary>The owner's key, made now; an owner that has one already (a job dispatched again) gets that one.</summary>
    public async Task<byte[]> GetOrCreateAsync(string tenant, string ownerId, string scope, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenant, ownerId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var dataKey = DataKeyCipher.NewKey();
        var wrapped = await cipher.WrapAsync(tenant, ownerId, dataKey, cancellationToken);
        var entity = new DataKeyEntity
        {
            TenantId = tenant,
            OwnerId = ownerId,
            Scope = scope,
            KeyId = wrapped.KeyId,
            WrappedKey = wrapped.Bytes,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        db.DataKeys.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return dataKey;
        }
        catch (DbUpdateException)
        {
            // Another replica made it first: use that one, the only one anything is encrypted by.
            db.Entry(entity).State = EntityState.Detached;
            return await FindAsync(tenant, ownerId, cancellationToken)
                ?? throw new InvalidOperationException($"The data key of '{ownerId}' could neither be stored nor read.");
        }
    }

    /// <summary>The unwrapped key, or null when there is none (never made, or shredded).</summary>
    public async Task<byte[]?> FindAsync(string tenant, string ownerId, CancellationToken cancellationToken)
    {
        var row = await db.DataKeys.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(k => k.TenantId == tenant && k.OwnerId == ownerId, cancellationToken);
        return row is null ? null : await cipher.UnwrapAsync(tenant, ownerId, new WrappedKey(row.KeyId, row.WrappedKey), cancellationToken);
    }

    /// <summary>Destroys the owner's key (idempotent); true when there was one.</summary>
    public async Task<bool> ShredAsync(string tenant, string ownerId, CancellationToken cancellationToken) =>
        await db.DataKeys.IgnoreQueryFilters()
            .Where(k => k.TenantId == tenant && k.OwnerId == ownerId)
            .ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>Destroys every key of the tenant; returns how many.</summary>
    public Task<int> ShredTenantAsync(string tenant, CancellationToken cancellationToken) =>
        db.DataKeys.IgnoreQueryFilters().Where(k => k.TenantId == tenant).ExecuteDeleteAsync(cancellationToken);
}
