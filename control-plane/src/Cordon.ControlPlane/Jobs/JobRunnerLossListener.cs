using Cordon.ControlPlane.Scheduling;

namespace Cordon.ControlPlane.Jobs;

/// <summary>A lost runner's running jobs end as error with the reason (their workers see the cancellation).</summary>
internal sealed class JobRunnerLossListener(JobCancellations cancellations) : IRunnerLossListener
{
    public Task OnRunnerLostAsync(string runnerId, string reason, CancellationToken cancellationToken)
    {
        cancellations.CancelRunner(runnerId, reason);
        return Task.CompletedTask;
    }
}
