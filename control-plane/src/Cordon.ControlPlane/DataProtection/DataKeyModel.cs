using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>The <c>data_keys</c> table; <see cref="Storage.CordonDbContext"/> adds the tenant filter every tenant-owned table has.</summary>
internal static class DataKeyModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        var key = modelBuilder.Entity<DataKeyEntity>();
        key.ToTable("data_keys");
        key.HasKey(k => new { k.TenantId, k.OwnerId });
        key.Property(k => k.TenantId).HasMaxLength(64);
        key.Property(k => k.OwnerId).HasMaxLength(64);
        key.Property(k => k.Scope).HasMaxLength(16);
        key.Property(k => k.KeyId).HasMaxLength(64);
        // The master-key rotation looks for rows not wrapped by the new key.
        key.HasIndex(k => k.KeyId);
    }
}
