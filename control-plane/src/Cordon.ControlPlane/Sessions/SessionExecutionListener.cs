using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// A session execution that reached its final status releases its session in the same transaction, so a client
/// that read the result never finds the session still busy.
/// </summary>
internal sealed class SessionExecutionListener(TimeProvider timeProvider) : IJobFinishedListener
{
    public Task OnJobFinishedAsync(JobFinished job, CordonDbContext db, CancellationToken cancellationToken) =>
        job.SessionId is { } sessionId
            ? SessionStore.ReleaseAsync(db, job.TenantId, sessionId, job.JobId, timeProvider.GetUtcNow(), cancellationToken)
            : Task.CompletedTask;
}
