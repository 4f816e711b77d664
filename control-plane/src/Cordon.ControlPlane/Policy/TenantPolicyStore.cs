using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Policy;

/// <summary>Tenant policy documents and their history. The tenant is an explicit argument in every predicate.</summary>
internal sealed class TenantPolicyStore(CordonDbContext db, TimeProvider timeProvider)
{
    /// <summary>The canonical text of the empty document every tenant without one gets.</summary>
    public const string DefaultDocument = "{}";

    public static readonly string DefaultVersion = CanonicalJson.Hash(DefaultDocument);

    public Task<TenantPolicyEntity?> FindAsync(string tenant, CancellationToken cancellationToken) =>
        db.TenantPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.TenantId == tenant, cancellationToken);

    /// <summary>
    /// Stores a new version and its history row in one transaction. With <paramref name="ifMatch"/> the current version
    /// (the default's when none is stored) must be that one, or nothing changes (412).
    /// </summary>
    public async Task<TenantPolicyEntity> PutAsync(string tenant, string canonical, string version, string by, string? ifMatch, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await db.TenantPolicies.FirstOrDefaultAsync(p => p.TenantId == tenant, cancellationToken);
        var currentVersion = current?.Version ?? DefaultVersion;
        if (ifMatch is not null && !string.Equals(ifMatch, currentVersion, StringComparison.Ordinal))
        {
            throw new PreconditionFailedException(
                $"Tenant '{tenant}''s policy is at version {currentVersion}, not {ifMatch}; GET it again and reapply the change.");
        }

        if (current is null)
        {
            current = new TenantPolicyEntity { TenantId = tenant, Document = canonical, Version = version, UpdatedAt = now, UpdatedBy = by };
            db.TenantPolicies.Add(current);
        }
        else
        {
            var updated = await db.TenantPolicies
                .Where(p => p.TenantId == tenant && p.Version == currentVersion)
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(p => p.Document, canonical)
                        .SetProperty(p => p.Version, version)
                        .SetProperty(p => p.UpdatedAt, now)
                        .SetProperty(p => p.UpdatedBy, by),
                    cancellationToken);
            if (updated == 0)
            {
                throw new ConflictException($"Tenant '{tenant}''s policy changed while this one was being stored; retry.");
            }

            db.Entry(current).State = EntityState.Detached;
            current = new TenantPolicyEntity { TenantId = tenant, Document = canonical, Version = version, UpdatedAt = now, UpdatedBy = by };
        }

        db.TenantPolicyHistory.Add(new TenantPolicyHistoryEntity { TenantId = tenant, Version = version, Document = canonical, ChangedAt = now, ChangedBy = by });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception)
        {
            throw new ConflictException($"Tenant '{tenant}''s policy was created by a concurrent request; retry.", exception);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return current;
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<TenantPolicyHistoryEntity>> HistoryAsync(string tenant, int limit, CancellationToken cancellationToken) =>
        await db.TenantPolicyHistory.AsNoTracking()
            .Where(h => h.TenantId == tenant)
            .OrderByDescending(h => h.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
}
