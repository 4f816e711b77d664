namespace Cordon.ControlPlane.Audit;

/// <summary>Writes audit events to the log under a category of their own.</summary>
internal sealed partial class LogAuditSink(ILogger<LogAuditSink> logger) : IAuditSink
{
    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        LogAudit(logger, auditEvent.Action, auditEvent.Tenant, auditEvent.Subject, auditEvent.ResourceId,
            auditEvent.Outcome, auditEvent.AuthBypassed, auditEvent.Detail);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information,
        Message = "audit {Action} tenant={Tenant} subject={Subject} resource={ResourceId} outcome={Outcome} authBypassed={AuthBypassed} {Detail}")]
    private static partial void LogAudit(ILogger logger, string action, string? tenant, string? subject, string? resourceId,
        string outcome, bool authBypassed, string? detail);
}
