using Cordon.Contracts.Sessions;

namespace Cordon.ControlPlane.Sessions;

/// <summary>Reading and closing the current tenant's sessions.</summary>
internal sealed class SessionLifecycle(SessionStore store, SessionTerminator terminator)
{
    public async Task<Session> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        (await store.FindAsync(sessionId, cancellationToken)).ToContract();

    /// <summary>Closes the session: the sandbox is destroyed and the workspace wiped. An ended session stays ended.</summary>
    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await store.FindAsync(sessionId, cancellationToken);
        if (session.Status != SessionStatus.Ended)
        {
            await terminator.EndAsync(session.Id, SessionEndReason.Closed, destroySandbox: true, "closed by the client", cancellationToken);
        }
    }
}
