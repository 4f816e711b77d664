using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cordon.ControlPlane.Storage;

/// <summary>
/// The control plane's store. Every tenant-owned entity carries a global query filter on the current
/// tenant as a second guard; the services put the tenant into their predicates as well.
/// </summary>
internal sealed class CordonDbContext(DbContextOptions<CordonDbContext> options, RequestContext requestContext)
    : DbContext(options)
{
    public DbSet<JobEntity> Jobs => Set<JobEntity>();

    public DbSet<JobEventEntity> JobEvents => Set<JobEventEntity>();

    public DbSet<IdempotencyKeyEntity> IdempotencyKeys => Set<IdempotencyKeyEntity>();

    public DbSet<SessionEntity> Sessions => Set<SessionEntity>();

    public DbSet<TenantStorageEntity> TenantStorage => Set<TenantStorageEntity>();

    public DbSet<TenantPolicyEntity> TenantPolicies => Set<TenantPolicyEntity>();

    public DbSet<TenantPolicyHistoryEntity> TenantPolicyHistory => Set<TenantPolicyHistoryEntity>();

    public DbSet<SecretEntity> Secrets => Set<SecretEntity>();

    public DbSet<AuditEventEntity> AuditEvents => Set<AuditEventEntity>();

    public DbSet<DataKeyEntity> DataKeys => Set<DataKeyEntity>();

    // Read by the query filters on every query, so each context instance filters on its own request's tenant.
    private string? CurrentTenant => requestContext.Tenant;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values; store them as sortable integers there.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var job = modelBuilder.Entity<JobEntity>();
        job.ToTable("jobs");
        job.HasKey(j => j.Id);
        job.Property(j => j.Id).HasMaxLength(64);
        job.Property(j => j.TenantId).HasMaxLength(64);
        job.Property(j => j.SessionId).HasMaxLength(64);
        job.Property(j => j.Language).HasMaxLength(64);
        job.Property(j => j.Status).HasConversion<string>().HasMaxLength(32);
        job.Property(j => j.RunnerId).HasMaxLength(128);
        job.Property(j => j.Version).IsConcurrencyToken();
        job.HasIndex(j => new { j.TenantId, j.Id });
        job.HasIndex(j => new { j.TenantId, j.Status });
        job.HasIndex(j => new { j.RunnerId, j.Status });
        // The retention sweep: finished jobs whose output is still kept, oldest first.
        job.HasIndex(j => new { j.OutputExpiredAt, j.FinishedAt });
        job.HasQueryFilter(j => j.TenantId == CurrentTenant);

        var jobEvent = modelBuilder.Entity<JobEventEntity>();
        jobEvent.ToTable("job_events");
        jobEvent.HasKey(e => e.Id);
        jobEvent.Property(e => e.Id).ValueGeneratedOnAdd();
        jobEvent.Property(e => e.TenantId).HasMaxLength(64);
        jobEvent.Property(e => e.JobId).HasMaxLength(64);
        jobEvent.Property(e => e.Kind).HasMaxLength(16);
        jobEvent.HasIndex(e => new { e.JobId, e.Id });
        jobEvent.HasQueryFilter(e => e.TenantId == CurrentTenant);

        var storage = modelBuilder.Entity<TenantStorageEntity>();
        storage.ToTable("tenant_storage");
        storage.HasKey(t => t.TenantId);
        storage.Property(t => t.TenantId).HasMaxLength(64);
        storage.HasQueryFilter(t => t.TenantId == CurrentTenant);

        var key = modelBuilder.Entity<IdempotencyKeyEntity>();
        key.ToTable("idempotency_keys");
        key.HasKey(k => new { k.TenantId, k.Key });
        key.Property(k => k.TenantId).HasMaxLength(64);
        key.Property(k => k.Key).HasMaxLength(256);
        key.Property(k => k.RequestHash).HasMaxLength(64);
        key.Property(k => k.JobId).HasMaxLength(64);
        key.HasQueryFilter(k => k.TenantId == CurrentTenant);

        var session = modelBuilder.Entity<SessionEntity>();
        session.ToTable("sessions");
        session.HasKey(s => s.Id);
        session.Property(s => s.Id).HasMaxLength(64);
        session.Property(s => s.TenantId).HasMaxLength(64);
        session.Property(s => s.Language).HasMaxLength(64);
        session.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        session.Property(s => s.EndReason).HasConversion<string>().HasMaxLength(32);
        session.Property(s => s.RunnerId).HasMaxLength(128);
        session.Property(s => s.SandboxId).HasMaxLength(128);
        session.Property(s => s.Version).IsConcurrencyToken();
        session.HasIndex(s => new { s.TenantId, s.Id });
        session.HasIndex(s => s.Status);
        session.HasQueryFilter(s => s.TenantId == CurrentTenant);

        TenantPolicyModel.Configure(modelBuilder);
        SecretModel.Configure(modelBuilder);
        modelBuilder.Entity<SecretEntity>().HasQueryFilter(s => s.TenantId == CurrentTenant);
        AuditModel.Configure(modelBuilder);
        modelBuilder.Entity<AuditEventEntity>().HasQueryFilter(e => e.TenantId == CurrentTenant);
        DataKeyModel.Configure(modelBuilder);
        modelBuilder.Entity<DataKeyEntity>().HasQueryFilter(k => k.TenantId == CurrentTenant);
    }
}
