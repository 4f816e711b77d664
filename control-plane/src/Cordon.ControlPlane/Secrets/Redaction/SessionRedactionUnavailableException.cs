using Cordon.Contracts.Problems;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// A session's redactor cannot be rebuilt here (the secret its sandbox holds was changed or deleted since, and this
/// replica never knew the old value): its output and files are refused (409) rather than returned unredacted.
/// </summary>
internal sealed class SessionRedactionUnavailableException(string sessionId, string secret) : CordonException(
    $"Session {sessionId} holds an earlier value of the secret '{secret}', changed or deleted since the session started; "
    + "this replica cannot redact its output, so none is returned. End the session and start a new one.")
{
    public override int StatusCode => 409;

    public override string ProblemType => ProblemTypes.Conflict;

    public override string Title => "Conflict";
}
