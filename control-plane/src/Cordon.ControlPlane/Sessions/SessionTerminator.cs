using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// Ends sessions — closed by the client, reaped (idle timeout, TTL), or lost with their runner — and releases them
/// after an execution. The one place a session's status changes after creation.
/// </summary>
internal sealed class SessionTerminator(
    IServiceScopeFactory scopeFactory,
    RunnerRegistry registry,
    RunnerGateway gateway,
    JobCancellations cancellations,
    IAuditSink audit,
    TimeProvider timeProvider,
    ILogger<SessionTerminator> logger)
{
    /// <summary>Ends the session if it is not ended yet; true when this call ended it.</summary>
    public async Task<bool> EndAsync(string sessionId, SessionEndReason reason, bool destroySandbox, string? detail, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        SessionEntity? session = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            db.ChangeTracker.Clear();
            session = await db.Sessions.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
            if (session is null || session.Status == SessionStatus.Ended)
            {
                return false;
            }

            session.Status = SessionStatus.Ended;
            session.EndReason = reason;
            session.EndedAt = timeProvider.GetUtcNow();
            session.Version++;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateConcurrencyException)
            {
                session = null;
            }
        }

        if (session is null)
        {
            return false;
        }

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

        SessionsLog.SessionEnded(logger, session.Id, detail ?? reason.ToString());
        await audit.WriteAsync(new AuditEvent(AuditActions.SessionEnd, session.TenantId, null, session.Id, reason.ToString(), Detail: detail), cancellationToken);
        return true;
    }

    /// <summary>After an execution: busy → ready, and the session was active just now.</summary>
    public async Task ReleaseAsync(CordonDbContext db, string sessionId, string jobId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            db.ChangeTracker.Clear();
            var session = await db.Sessions.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
            if (session is null || session.CurrentJobId != jobId)
            {
                return;
            }

            if (session.Status == SessionStatus.Busy)
            {
                session.Status = SessionStatus.Ready;
            }

            session.CurrentJobId = null;
            session.LastActiveAt = timeProvider.GetUtcNow();
            session.Version++;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone else changed it (ended it, most likely); look again.
            }
        }
    }
}
