using System.Collections.Concurrent;
using Cordon.ControlPlane.Audit;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>An <see cref="IAuditSink"/> that keeps what the control plane audits, so tests can read it.</summary>
internal sealed class RecordingAuditSink : IAuditSink
{
    public ConcurrentQueue<AuditEvent> Events { get; } = new();

    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(auditEvent);
        return ValueTask.CompletedTask;
    }
}
