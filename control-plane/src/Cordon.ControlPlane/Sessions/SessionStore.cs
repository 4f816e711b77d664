using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// The current tenant's session rows. A change of status is one conditional update whose row count decides
/// (ready → busy here; busy → ready in <see cref="ReleaseAsync"/>; → ended in <see cref="SessionTerminator"/>).
/// </summary>
internal sealed class SessionStore(CordonDbContext db, RequestContext context, TimeProvider timeProvider)
{
    private string Tenant => context.RequiredTenant;

    public async Task AddAsync(SessionEntity session, CancellationToken cancellationToken)
    {
        db.Sessions.Add(session);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The session, or 404.</summary>
    public async Task<SessionEntity> FindAsync(string sessionId, CancellationToken cancellationToken) =>
        await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == Tenant && s.Id == sessionId, cancellationToken)
            ?? throw NotFound(sessionId);

    /// <summary>An open session, marked active now (a file operation counts as activity); 404 or 409 otherwise.</summary>
    public async Task<SessionEntity> TouchAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await FindAsync(sessionId, cancellationToken);
        CheckOpen(session);
        var now = timeProvider.GetUtcNow();
        await db.Sessions
            .Where(s => s.TenantId == Tenant && s.Id == sessionId && s.Status != SessionStatus.Ended)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastActiveAt, now), cancellationToken);
        return session;
    }

    /// <summary>Ready → busy with <paramref name="jobId"/>; 404, or 409 when the session is busy or ended.</summary>
    public async Task<SessionEntity> MarkBusyAsync(string sessionId, string jobId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var marked = await db.Sessions
            .Where(s => s.TenantId == Tenant && s.Id == sessionId && s.Status == SessionStatus.Ready)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.Status, SessionStatus.Busy)
                    .SetProperty(s => s.CurrentJobId, jobId)
                    .SetProperty(s => s.LastActiveAt, now)
                    .SetProperty(s => s.Version, s => s.Version + 1),
                cancellationToken);
        var session = await FindAsync(sessionId, cancellationToken);
        if (marked == 1)
        {
            return session;
        }

        CheckOpen(session);
        throw session.Status == SessionStatus.Busy
            ? new ConflictException($"Session '{sessionId}' is busy with execution {session.CurrentJobId}; wait for it to finish.")
            : new ConflictException($"Session '{sessionId}' changed while starting the execution (another execution, or it ended); retry.");
    }

    /// <summary>After an execution: busy → ready, and the session was active just now; an ended session stays ended.</summary>
    public static async Task ReleaseAsync(CordonDbContext db, string tenant, string sessionId, string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sessions = db.Sessions.IgnoreQueryFilters().Where(s => s.TenantId == tenant && s.Id == sessionId && s.CurrentJobId == jobId);
        var released = await sessions
            .Where(s => s.Status == SessionStatus.Busy)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.Status, SessionStatus.Ready)
                    .SetProperty(s => s.CurrentJobId, (string?)null)
                    .SetProperty(s => s.LastActiveAt, now)
                    .SetProperty(s => s.Version, s => s.Version + 1),
                cancellationToken);
        if (released == 0)
        {
            // Ended under the execution: it only lets go of the job.
            await sessions.ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.CurrentJobId, (string?)null)
                    .SetProperty(s => s.LastActiveAt, now)
                    .SetProperty(s => s.Version, s => s.Version + 1),
                cancellationToken);
        }
    }

    public Task ReleaseAsync(string sessionId, string jobId, CancellationToken cancellationToken) =>
        ReleaseAsync(db, Tenant, sessionId, jobId, timeProvider.GetUtcNow(), cancellationToken);

    public static void CheckOpen(SessionEntity session)
    {
        if (session.Status == SessionStatus.Ended)
        {
            throw new ConflictException($"Session '{session.Id}' has ended ({session.EndReason}).");
        }
    }

    private static NotFoundException NotFound(string sessionId) => new($"There is no session '{sessionId}'.");
}
