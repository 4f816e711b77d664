using Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>An execution in a session: <see cref="Request"/> runs in the session's sandbox on its runner.</summary>
internal sealed record SessionExecutionWork(
    string JobId, string Tenant, string Subject, string Language, long TimeoutMs, string SessionId, string RunnerId, ExecRequest Request)
    : JobWorkItem(JobId, Tenant, Subject, Language, TimeoutMs);
