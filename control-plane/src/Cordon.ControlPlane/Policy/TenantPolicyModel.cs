using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// The policy tables. No tenant query filter here, unlike the other tables: only the admin API (acting on the tenant
/// in its route, not its own) and the policy engine (reading the request's tenant by key) touch them, both with the
/// tenant in every predicate.
/// </summary>
internal static class TenantPolicyModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        var policy = modelBuilder.Entity<TenantPolicyEntity>();
        policy.ToTable("tenant_policies");
        policy.HasKey(p => p.TenantId);
        policy.Property(p => p.TenantId).HasMaxLength(64);
        policy.Property(p => p.Version).HasMaxLength(80);
        policy.Property(p => p.UpdatedBy).HasMaxLength(256);

        var history = modelBuilder.Entity<TenantPolicyHistoryEntity>();
        history.ToTable("tenant_policy_history");
        history.HasKey(h => h.Id);
        history.Property(h => h.Id).ValueGeneratedOnAdd();
        history.Property(h => h.TenantId).HasMaxLength(64);
        history.Property(h => h.Version).HasMaxLength(80);
        history.Property(h => h.ChangedBy).HasMaxLength(256);
        history.HasIndex(h => new { h.TenantId, h.Id });
    }
}
