using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// Three times per lease, renews the slots this process holds (<see cref="HeldQuotaSlots"/>) and the slots of every
/// live session in the database. Every replica runs one; renewing a slot twice is harmless, and a slot nobody renews —
/// a crashed replica's job, an ended session whose release was lost — expires within one lease.
/// </summary>
internal sealed class QuotaLeaseRenewer(
    IQuotaCounters counters,
    HeldQuotaSlots held,
    IServiceScopeFactory scopeFactory,
    IOptions<QuotaOptions> options,
    TimeProvider timeProvider,
    ILogger<QuotaLeaseRenewer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        using var timer = new PeriodicTimer(lease / 3, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what this process held expires with its lease.
        }
    }

    public async Task RenewOnceAsync(CancellationToken cancellationToken)
    {
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        try
        {
            foreach (var group in held.ByTenant())
            {
                await counters.RenewAsync(group.Key.Quota, group.Key.Tenant, [.. group], lease, cancellationToken);
            }

            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
            var live = await db.Sessions.IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.Status != SessionStatus.Ended)
                .Select(s => new { s.TenantId, s.Id })
                .ToListAsync(cancellationToken);
            foreach (var tenant in live.GroupBy(s => s.TenantId, s => s.Id))
            {
                await counters.RenewAsync(QuotaNames.ConcurrentSessions, tenant.Key, [.. tenant], lease, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QuotasLog.RenewFailed(logger, exception);
        }
    }
}
