using Cordon.ControlPlane.Secrets;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// What a worker needs to drive one job: a <see cref="OneShotJobWork"/> (its own sandbox, <c>RunJob</c>) or a
/// <see cref="SessionExecutionWork"/> (<c>Exec</c> in a session's sandbox on the session's runner).
/// </summary>
internal abstract record JobWorkItem(string JobId, string Tenant, string Subject, string Language, long TimeoutMs)
{
    /// <summary>The secrets injected into this job's sandbox, with their values, once dispatch resolved them; never stored.</summary>
    public IReadOnlyList<ResolvedSecret> InjectedSecrets { get; private set; } = [];

    /// <summary>
    /// The one call with a job's resolved secret values (<see cref="JobExecutor"/> at dispatch): what must hide them
    /// from the job's output — its redactor — is built from these.
    /// </summary>
    public void AttachSecrets(IReadOnlyList<ResolvedSecret> values) => InjectedSecrets = values;
}
