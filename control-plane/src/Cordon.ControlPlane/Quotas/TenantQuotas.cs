namespace Cordon.ControlPlane.Quotas;

/// <summary>A tenant's effective quotas: its policy document's <c>quotas</c>, each missing one from the defaults.</summary>
internal sealed record TenantQuotas(int ConcurrentJobs, int QueuedJobs, int ConcurrentSessions, double RequestsPerSecond, int Burst);
