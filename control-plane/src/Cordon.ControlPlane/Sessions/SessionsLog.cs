namespace Cordon.ControlPlane.Sessions;

internal static partial class SessionsLog
{
    // Debug: the audit log has each session's start and end (session.start, session.end) at information.
    [LoggerMessage(EventId = 1601, Level = LogLevel.Debug, Message = "Session {SessionId} of tenant {Tenant} created on runner {RunnerId}")]
    public static partial void SessionCreated(ILogger logger, string sessionId, string tenant, string runnerId);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Debug, Message = "Session {SessionId} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "Could not destroy the sandbox of session {SessionId}: {Reason}")]
    public static partial void DestroyFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Error, Message = "The session reaper failed a round")]
    public static partial void ReaperFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Error, Message = "The session reaper could not end session {SessionId}; the next round retries")]
    public static partial void ReapFailed(ILogger logger, Exception exception, string sessionId);
}
