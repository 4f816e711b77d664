using Cordon.ControlPlane.Secrets.Redaction;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// What a worker needs to drive one job: a <see cref="OneShotJobWork"/> (its own sandbox, <c>RunJob</c>) or a
/// <see cref="SessionExecutionWork"/> (<c>Exec</c> in a session's sandbox on the session's runner).
/// </summary>
internal abstract record JobWorkItem(string JobId, string Tenant, string Subject, string Language, long TimeoutMs)
{
    /// <summary>The secret values the job was given, redacted from everything it returns or stores.</summary>
    public SecretRedactor Redactor { get; init; } = SecretRedactor.None;
}
