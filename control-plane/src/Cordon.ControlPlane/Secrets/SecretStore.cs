using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Secrets;

/// <summary>The <c>secrets</c> rows of one tenant (explicit in every predicate, besides the context's tenant filter).</summary>
internal sealed class SecretStore(CordonDbContext db, TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<SecretEntity>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        await db.Secrets.AsNoTracking().Where(s => s.TenantId == tenant).OrderBy(s => s.Name).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<SecretEntity>> FindAsync(string tenant, IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        await db.Secrets.AsNoTracking().Where(s => s.TenantId == tenant && names.Contains(s.Name)).ToListAsync(cancellationToken);

    /// <summary>Creates or replaces the secret; its creation time is kept on a replace.</summary>
    public async Task PutAsync(string tenant, string name, SealedSecret sealedSecret, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var updated = await db.Secrets
                .Where(s => s.TenantId == tenant && s.Name == name)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(s => s.KeyId, sealedSecret.Key.KeyId)
                    .SetProperty(s => s.WrappedKey, sealedSecret.Key.Bytes)
                    .SetProperty(s => s.Ciphertext, sealedSecret.Ciphertext)
                    .SetProperty(s => s.UpdatedAt, now), cancellationToken);
            if (updated > 0)
            {
                return;
            }

            var entity = new SecretEntity
            {
                TenantId = tenant,
                Name = name,
                KeyId = sealedSecret.Key.KeyId,
                WrappedKey = sealedSecret.Key.Bytes,
                Ciphertext = sealedSecret.Ciphertext,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Secrets.Add(entity);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // A concurrent PUT of the same name inserted first: replace its value instead.
                db.Entry(entity).State = EntityState.Detached;
            }
        }
    }

    public async Task DeleteAsync(string tenant, string name, CancellationToken cancellationToken)
    {
        var deleted = await db.Secrets.Where(s => s.TenantId == tenant && s.Name == name).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw new NotFoundException($"There is no secret '{name}'.");
        }
    }

    /// <summary>A batch of rows of any tenant whose data key is not wrapped by <paramref name="keyId"/> (rotation only).</summary>
    public async Task<IReadOnlyList<SecretEntity>> NotWrappedByAsync(string keyId, IReadOnlySet<(string, string)> skip, int count, CancellationToken cancellationToken)
    {
        var rows = await db.Secrets.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.KeyId != keyId)
            .OrderBy(s => s.TenantId).ThenBy(s => s.Name)
            .Take(count + skip.Count)
            .ToListAsync(cancellationToken);
        return [.. rows.Where(r => !skip.Contains((r.TenantId, r.Name))).Take(count)];
    }

    /// <summary>Replaces a row's wrapped data key if the row still has the one it was read with (rotation only).</summary>
    public async Task<bool> ReplaceKeyAsync(SecretEntity row, WrappedKey wrapped, CancellationToken cancellationToken) =>
        await db.Secrets.IgnoreQueryFilters()
            .Where(s => s.TenantId == row.TenantId && s.Name == row.Name && s.KeyId == row.KeyId && s.WrappedKey == row.WrappedKey)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.KeyId, wrapped.KeyId)
                .SetProperty(s => s.WrappedKey, wrapped.Bytes), cancellationToken) > 0;

    public Task<int> CountNotWrappedByAsync(string keyId, CancellationToken cancellationToken) =>
        db.Secrets.IgnoreQueryFilters().CountAsync(s => s.KeyId != keyId, cancellationToken);
}
