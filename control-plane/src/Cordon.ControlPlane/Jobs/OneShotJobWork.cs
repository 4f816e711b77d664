using Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>A one-shot job: the runner creates a sandbox, runs <see cref="Request"/> and destroys it.</summary>
internal sealed record OneShotJobWork(string JobId, string Tenant, string Subject, string Language, long TimeoutMs, RunJobRequest Request)
    : JobWorkItem(JobId, Tenant, Subject, Language, TimeoutMs);
