using Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// What a worker needs to drive one job: a one-shot <see cref="RunJob"/>, or a session execution
/// (<see cref="Exec"/> on the session's runner), and the callback the session uses to become ready again.
/// </summary>
internal sealed record JobWorkItem(
    string JobId,
    string Tenant,
    string Subject,
    string Language,
    long TimeoutMs,
    RunJobRequest? RunJob,
    SessionExecution? Exec);

internal sealed record SessionExecution(
    string SessionId,
    string RunnerId,
    ExecRequest Request,
    Func<IServiceProvider, CancellationToken, Task> OnFinishedAsync);
