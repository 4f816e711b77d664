using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Jobs;

/// <summary>A job that just reached <see cref="Status"/>, a final status.</summary>
internal sealed record JobFinished(string TenantId, string JobId, string? SessionId, JobStatus Status);
