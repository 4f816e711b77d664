using System.ComponentModel;
using Cordon.Contracts.Sessions;

namespace Cordon.ControlPlane.Mcp;

/// <summary>The structured result of <c>create_session</c>.</summary>
internal sealed record SessionResult
{
    [Description("Pass this as sessionId to run_in_session, write_file, read_file, list_files and close_session.")]
    public required string SessionId { get; init; }

    [Description("ready, busy or ended.")]
    public required string Status { get; init; }

    [Description("The session's language.")]
    public required string Language { get; init; }

    [Description("When the session ends at the latest (its TTL), whatever happens.")]
    public required DateTimeOffset ExpiresAt { get; init; }

    [Description("The session also ends after this many seconds without a run or file operation.")]
    public required int IdleTimeoutSec { get; init; }

    public static SessionResult From(Session session, int idleTimeoutSec) => new()
    {
        SessionId = session.Id,
        Status = session.Status switch
        {
            SessionStatus.Ready => "ready",
            SessionStatus.Busy => "busy",
            _ => "ended",
        },
        Language = session.Language,
        ExpiresAt = session.ExpiresAt,
        IdleTimeoutSec = idleTimeoutSec,
    };
}
