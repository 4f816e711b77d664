namespace Cordon.ControlPlane.Scheduling;

/// <summary>Told when a runner is marked down, so the work it held can end with a reason instead of hanging.</summary>
internal interface IRunnerLossListener
{
    Task OnRunnerLostAsync(string runnerId, string reason, CancellationToken cancellationToken);
}
