namespace Cordon.ControlPlane.Audit;

/// <summary>Where audit events go: <see cref="AuditSinks"/> writes each to the log and the hash-chained <see cref="AuditLog"/>.</summary>
internal interface IAuditSink
{
    ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
}
