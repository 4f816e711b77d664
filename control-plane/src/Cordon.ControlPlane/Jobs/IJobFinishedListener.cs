using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Told when a job reaches its final status, inside the transaction that stores it: what the listener writes
/// through <c>db</c> commits together with the final status, so nobody sees one without the other (a session is
/// ready again the moment its execution's result can be read).
/// </summary>
internal interface IJobFinishedListener
{
    Task OnJobFinishedAsync(JobFinished job, CordonDbContext db, CancellationToken cancellationToken);
}
