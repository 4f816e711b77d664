using System.Collections.Concurrent;

namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// The redactor of each open session, for its executions and its file reads. In memory only (the values never reach
/// the database): attached when the session is created, dropped when it ends.
/// </summary>
internal sealed class SessionRedactors
{
    private readonly ConcurrentDictionary<string, SecretRedactor> _sessions = new(StringComparer.Ordinal);

    public void Attach(string sessionId, SecretRedactor redactor)
    {
        if (!redactor.IsEmpty)
        {
            _sessions[sessionId] = redactor;
        }
    }

    public SecretRedactor For(string sessionId) => _sessions.TryGetValue(sessionId, out var redactor) ? redactor : SecretRedactor.None;

    public void Remove(string sessionId) => _sessions.TryRemove(sessionId, out _);
}
