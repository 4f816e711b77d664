namespace Cordon.ControlPlane.Audit;

/// <summary>One audited action: who (tenant, subject), what (action on resource) and how it went.</summary>
internal sealed record AuditEvent(
    string Action,
    string? Tenant,
    string? Subject,
    string? ResourceId,
    string Outcome,
    bool AuthBypassed = false,
    string? Detail = null);
