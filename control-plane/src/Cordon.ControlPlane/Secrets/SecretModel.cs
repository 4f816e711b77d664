using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Secrets;

/// <summary>The <c>secrets</c> table; <see cref="Storage.CordonDbContext"/> adds the tenant filter every tenant-owned table has.</summary>
internal static class SecretModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        var secret = modelBuilder.Entity<SecretEntity>();
        secret.ToTable("secrets");
        secret.HasKey(s => new { s.TenantId, s.Name });
        secret.Property(s => s.TenantId).HasMaxLength(64);
        secret.Property(s => s.Name).HasMaxLength(64);
        secret.Property(s => s.KeyId).HasMaxLength(64);
        secret.HasIndex(s => s.KeyId);
    }
}
