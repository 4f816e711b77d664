using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Audit;

/// <summary>The <c>audit_events</c> table: one row per chained record, keyed by its sequence number.</summary>
internal static class AuditModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        var audit = modelBuilder.Entity<AuditEventEntity>();
        audit.ToTable("audit_events");
        audit.HasKey(e => e.Seq);
        audit.Property(e => e.Seq).ValueGeneratedNever();
        audit.Property(e => e.TenantId).HasMaxLength(AuditDrafts.MaxIdChars);
        audit.Property(e => e.Actor).HasMaxLength(AuditDrafts.MaxIdChars);
        audit.Property(e => e.Action).HasMaxLength(64);
        audit.Property(e => e.Target).HasMaxLength(AuditDrafts.MaxIdChars);
        audit.Property(e => e.Outcome).HasMaxLength(AuditDrafts.MaxIdChars);
        audit.Property(e => e.PrevHash).HasMaxLength(64);
        audit.Property(e => e.Hash).HasMaxLength(64);
        audit.HasIndex(e => new { e.TenantId, e.Seq });
        audit.HasIndex(e => e.Time);
    }
}
