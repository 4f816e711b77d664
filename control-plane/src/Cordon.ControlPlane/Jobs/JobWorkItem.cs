using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Secrets.Redaction;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// What a worker needs to drive one job: a <see cref="OneShotJobWork"/> (its own sandbox, <c>RunJob</c>) or a
/// <see cref="SessionExecutionWork"/> (<c>Exec</c> in a session's sandbox on the session's runner).
/// </summary>
internal abstract record JobWorkItem(string JobId, string Tenant, string Subject, string Language, long TimeoutMs)
{
    /// <summary>
    /// The secret values the job was given, redacted from everything it returns or stores: set when the job is
    /// created (from an <see cref="ISecretValueSource"/>) and rebuilt by <see cref="AttachSecrets"/> from exactly the
    /// values its sandbox is given.
    /// </summary>
    public SecretRedactor Redactor { get; set; } = SecretRedactor.None;

    /// <summary>The secrets injected into this job's sandbox, with their values, once dispatch resolved them; never stored.</summary>
    public IReadOnlyList<ResolvedSecret> InjectedSecrets { get; private set; } = [];

    /// <summary>
    /// The one call with a job's resolved secret values (<see cref="JobExecutor"/> at dispatch, before any output):
    /// the values go to the sandbox, and the redactor that hides them from the job's output is built from them.
    /// </summary>
    public void AttachSecrets(IReadOnlyList<ResolvedSecret> values)
    {
        InjectedSecrets = values;
        if (values.Count > 0)
        {
            Redactor = SecretResolver.RedactorFor(values);
        }
    }
}
