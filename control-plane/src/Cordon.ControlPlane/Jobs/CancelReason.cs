namespace Cordon.ControlPlane.Jobs;

/// <summary>Why the control plane stopped a running job; decides the status it ends with.</summary>
internal enum CancelReason
{
    None,
    /// <summary>POST /cancel → cancelled.</summary>
    Client,
    /// <summary>The runner was marked down → error.</summary>
    RunnerLost,
    /// <summary>The control plane is stopping → error.</summary>
    Shutdown,
    /// <summary>The session was closed or reaped under the execution → cancelled.</summary>
    SessionEnded,
}
