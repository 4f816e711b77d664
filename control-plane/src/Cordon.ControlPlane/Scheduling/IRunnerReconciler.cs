namespace Cordon.ControlPlane.Scheduling;

/// <summary>
/// Brings what a runner holds in line with the database: run when a runner comes up, when it restarted, and every
/// <c>Cordon:Scheduling:ReconcileIntervalSeconds</c>. Decisions come from the database, never from this process's
/// memory, so any number of control-plane replicas may reconcile the same runner.
/// </summary>
internal interface IRunnerReconciler
{
    Task ReconcileAsync(RunnerState runner, CancellationToken cancellationToken);
}
