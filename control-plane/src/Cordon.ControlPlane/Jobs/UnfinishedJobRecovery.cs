using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// At start-up, after the migrations and once the audit log is open: ends the jobs a previous process left unfinished
/// (their runner calls died with that process) as <c>error</c>, writes each one's missing <c>job.end</c> audit event
/// with the reason, and makes the sessions those jobs kept busy ready again. Off with
/// <see cref="JobsOptions.RecoverUnfinishedAtStartup"/> on every replica but one.
/// </summary>
internal sealed partial class UnfinishedJobRecovery(
    IServiceScopeFactory scopeFactory,
    IAuditSink audit,
    Microsoft.Extensions.Options.IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<UnfinishedJobRecovery> logger) : IHostedService
{
    public const string Reason = "the control plane restarted while the job was unfinished";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.RecoverUnfinishedAtStartup)
        {
            return; // another replica of a live deployment: the jobs it finds unfinished are others' and alive
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        var now = timeProvider.GetUtcNow();
        var unfinished = db.Jobs.IgnoreQueryFilters().Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running);
        var orphans = await unfinished.Select(j => new { j.Id, j.TenantId }).ToListAsync(cancellationToken);
        var orphaned = await unfinished.ExecuteUpdateAsync(
            set => set
                .SetProperty(j => j.Status, JobStatus.Error)
                .SetProperty(j => j.Error, Reason)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.Version, j => j.Version + 1),
            cancellationToken);
        // Their executions were among those jobs, and no worker is left to release them.
        var released = await db.Sessions.IgnoreQueryFilters()
            .Where(s => s.Status == SessionStatus.Busy)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.Status, SessionStatus.Ready)
                    .SetProperty(s => s.CurrentJobId, (string?)null)
                    .SetProperty(s => s.Version, s => s.Version + 1),
                cancellationToken);
        foreach (var orphan in orphans)
        {
            await audit.WriteAsync(new AuditEvent(AuditActions.JobEnd, orphan.TenantId, "system", orphan.Id, JobStatus.Error.ToWireName(), Detail: Reason), cancellationToken);
        }

        LogRecovered(logger, orphaned, released);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "{Orphaned} unfinished job(s) from a previous run marked error (job.end audited), {Released} busy session(s) ready again")]
    private static partial void LogRecovered(ILogger logger, int orphaned, int released);
}
