using Microsoft.Extensions.Logging;

namespace Cordon.Runner.Egress;

/// <summary>The egress proxy's log messages (event ids 2400–2449). Hosts are logged escaped; payloads never.</summary>
internal static partial class EgressLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Debug, Message = "Egress proxy listening on {SocketPath} ({Rules} allowlist rules)")]
    public static partial void Listening(ILogger logger, string socketPath, int rules);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "Egress to {Host}:{Port} by {Rule} ended: {BytesOut} bytes out, {BytesIn} in, {DurationMs} ms ({Reason})")]
    public static partial void Ended(ILogger logger, string host, int port, string rule, long bytesOut, long bytesIn, long durationMs, string? reason);

    // Debug: a sandbox decides how many it makes; the records carry every one.
    [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "Egress to {Host}:{Port} denied: {Reason}")]
    public static partial void Denied(ILogger logger, string host, int port, string? reason);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "An egress connection failed unexpectedly")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Warning, Message = "Accepting on egress socket {SocketPath} failed; retrying")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, string socketPath);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Warning, Message = "Egress on {SocketPath} reached its byte limit of {MaxBytes}: every tunnel is closed, new connections are refused")]
    public static partial void ByteLimitReached(ILogger logger, string socketPath, long maxBytes);

    [LoggerMessage(EventId = 2406, Level = LogLevel.Debug, Message = "Egress proxy on {SocketPath} stopped: {Connections} connections, {Denied} denied, {BytesOut} bytes out, {BytesIn} in")]
    public static partial void Stopped(ILogger logger, string socketPath, long connections, long denied, long bytesOut, long bytesIn);
}
