using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Secrets;

namespace Cordon.ControlPlane.Jobs;

/// <summary>A one-shot job: the runner creates a sandbox, runs <see cref="Request"/> and destroys it.</summary>
internal sealed record OneShotJobWork(string JobId, string Tenant, string Subject, string Language, long TimeoutMs, RunJobRequest Request)
    : JobWorkItem(JobId, Tenant, Subject, Language, TimeoutMs)
{
    /// <summary>The secrets the job asked for, by name; their values are read at dispatch, never kept with the job.</summary>
    public IReadOnlyList<RequestedSecret> Secrets { get; init; } = [];

    // A record's generated ToString would print the request (files, stdin) and the injected values.
    public override string ToString() => $"OneShotJobWork {{ JobId = {JobId}, Tenant = {Tenant}, Language = {Language} }}";
}
