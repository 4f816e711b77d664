using System.Collections.Concurrent;

namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// The redactors this replica holds, per open session: attached when the session is created here or its redactor was
/// rebuilt here (<see cref="SessionRedaction"/>), dropped when it ends. In memory only (no value reaches the database).
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

    /// <summary>The redactor this replica holds for the session; <see cref="SecretRedactor.None"/> and false when it holds none.</summary>
    public bool TryGet(string sessionId, out SecretRedactor redactor)
    {
        if (_sessions.TryGetValue(sessionId, out var known))
        {
            redactor = known;
            return true;
        }

        redactor = SecretRedactor.None;
        return false;
    }

    public void Remove(string sessionId) => _sessions.TryRemove(sessionId, out _);
}
