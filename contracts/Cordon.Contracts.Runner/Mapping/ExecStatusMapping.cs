using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.V1;

namespace Cordon.Contracts.Runner.Mapping;

/// <summary>
/// The runner's execution status as the public job status: the one mapping, used by the control plane when it
/// stores a job's result and by <c>cordon-runner exec</c> when it prints one. An unknown status is an error.
/// </summary>
public static class ExecStatusMapping
{
    public static JobStatus ToJobStatus(this ExecStatus status) => status switch
    {
        ExecStatus.Succeeded => JobStatus.Succeeded,
        ExecStatus.Failed => JobStatus.Failed,
        ExecStatus.CompileError => JobStatus.CompileError,
        ExecStatus.Timeout => JobStatus.Timeout,
        ExecStatus.MemoryLimit => JobStatus.MemoryLimit,
        ExecStatus.OutputLimit => JobStatus.OutputLimit,
        ExecStatus.Cancelled => JobStatus.Cancelled,
        ExecStatus.Rejected => JobStatus.Rejected,
        _ => JobStatus.Error,
    };
}
