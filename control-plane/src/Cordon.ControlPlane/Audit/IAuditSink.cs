namespace Cordon.ControlPlane.Audit;

/// <summary>Where audit events go. The tamper-evident audit log lands next milestone; today it is the log.</summary>
internal interface IAuditSink
{
    ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
}
