using Cordon.Logging;

namespace Cordon.ControlPlane.Audit;

/// <summary>
/// Writes audit events to the log under the category <c>Cordon.Audit</c>, one record each, every member a field of
/// its own (the JSON console format emits them as properties). Members can carry outside text — a token's subject, a
/// request path, a token validator's message, a runner's error — so each is escaped and capped, and every value is
/// quoted: a value cannot end its record, forge a field or start another record.
/// </summary>
internal sealed partial class LogAuditSink(ILoggerFactory loggerFactory) : IAuditSink
{
    public const string Category = "Cordon.Audit";

    private const int MaxIdChars = 256;

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        LogAudit(_logger, Quoted(auditEvent.Action, MaxIdChars), Quoted(auditEvent.Tenant, MaxIdChars), Quoted(auditEvent.Subject, MaxIdChars),
            Quoted(auditEvent.ResourceId, MaxIdChars), Quoted(auditEvent.Outcome, MaxIdChars), auditEvent.AuthBypassed,
            Quoted(auditEvent.Detail, LogText.DefaultMaxChars));
        return ValueTask.CompletedTask;
    }

    /// <summary>Escaped and capped, a double quote as <c>\"</c>: the message puts each value in quotes.</summary>
    private static string? Quoted(string? value, int maxChars) =>
        LogText.Escape(value, maxChars)?.Replace("\"", "\\\"", StringComparison.Ordinal);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information,
        Message = "audit action=\"{Action}\" tenant=\"{Tenant}\" subject=\"{Subject}\" resource=\"{Resource}\" outcome=\"{Outcome}\" authBypassed={AuthBypassed} detail=\"{Detail}\"")]
    private static partial void LogAudit(ILogger logger, string? action, string? tenant, string? subject, string? resource,
        string? outcome, bool authBypassed, string? detail);
}
