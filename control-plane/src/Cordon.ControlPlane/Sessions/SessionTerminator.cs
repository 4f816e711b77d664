using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Quotas;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Secrets.Redaction;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// Ends sessions — closed by the client, reaped (idle timeout, TTL), or lost with their runner: one conditional
/// update decides which caller ends it, and that one cancels its execution and destroys its sandbox.
/// </summary>
internal sealed class SessionTerminator(
    IServiceScopeFactory scopeFactory,
    RunnerRegistry registry,
    RunnerGateway gateway,
    JobCancellations cancellations,
    SessionQuotas quotas,
    IAuditSink audit,
    SessionRedactors redactors,
    TimeProvider timeProvider,
    ILogger<SessionTerminator> logger)
{
    /// <summary>Ends the session if it is not ended yet; true when this call ended it.</summary>
    public async Task<bool> EndAsync(string sessionId, SessionEndReason reason, bool destroySandbox, string? detail, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        var now = timeProvider.GetUtcNow();
        // The reaper and the runner-loss listener act for every tenant: the id alone names the session.
        var ended = await db.Sessions.IgnoreQueryFilters()
            .Where(s => s.Id == sessionId && s.Status != SessionStatus.Ended)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.Status, SessionStatus.Ended)
                    .SetProperty(s => s.EndReason, (SessionEndReason?)reason)
                    .SetProperty(s => s.EndedAt, (DateTimeOffset?)now)
                    .SetProperty(s => s.Version, s => s.Version + 1),
                cancellationToken);
        if (ended == 0)
        {
            return false;
        }

        // Ended now, so nothing but the release of its execution changes the row any more.
        var session = await db.Sessions.IgnoreQueryFilters().AsNoTracking().FirstAsync(s => s.Id == sessionId, cancellationToken);
        await quotas.ReleaseAsync(session.TenantId, session.Id);
        // Its data key protected only files on their way out of the sandbox, which is going: nothing needs it again.
        await scope.ServiceProvider.GetRequiredService<DataKeys>().ShredAsync(session.TenantId, session.Id, cancellationToken);
        if (session.CurrentJobId is { } jobId)
        {
            cancellations.Cancel(jobId, reason == SessionEndReason.RunnerLost ? CancelReason.RunnerLost : CancelReason.SessionEnded,
                detail ?? $"the session ended ({reason})");
        }

        if (destroySandbox && registry.Find(session.RunnerId) is { } runner)
        {
            try
            {
                await gateway.DestroySandboxAsync(runner, session.SandboxId, cancellationToken);
            }
            catch (CordonException ex)
            {
                SessionsLog.DestroyFailed(logger, session.Id, ex.Message);
            }
        }

        // After the execution was cancelled: its redactor is the work item's own, so its last output is still redacted.
        redactors.Remove(session.Id);
        SessionsLog.SessionEnded(logger, session.Id, detail ?? reason.ToString());
        await audit.WriteAsync(new AuditEvent(AuditActions.SessionEnd, session.TenantId, null, session.Id, reason.ToString(), Detail: detail), cancellationToken);
        return true;
    }
}
