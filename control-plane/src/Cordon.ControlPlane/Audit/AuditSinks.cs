namespace Cordon.ControlPlane.Audit;

/// <summary>Every audit event goes to the log (for the operator's log pipeline) and into the hash-chained audit log.</summary>
internal sealed class AuditSinks(LogAuditSink log, AuditLog chain) : IAuditSink
{
    public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        await log.WriteAsync(auditEvent, cancellationToken);
        await chain.WriteAsync(AuditDrafts.From(auditEvent), cancellationToken);
    }
}
