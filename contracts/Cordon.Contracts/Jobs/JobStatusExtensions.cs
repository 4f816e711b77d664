namespace Cordon.Contracts.Jobs;

/// <summary>Helpers over <see cref="JobStatus"/>.</summary>
public static class JobStatusExtensions
{
    /// <summary>True once the job has finished and will never change again.</summary>
    public static bool IsTerminal(this JobStatus status) => status is not (JobStatus.Queued or JobStatus.Running);

    /// <summary>The wire name of the status (<c>compile_error</c>, …).</summary>
    public static string ToWireName(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.CompileError => "compile_error",
        JobStatus.Timeout => "timeout",
        JobStatus.MemoryLimit => "memory_limit",
        JobStatus.OutputLimit => "output_limit",
        JobStatus.Cancelled => "cancelled",
        JobStatus.Rejected => "rejected",
        _ => "error",
    };

    /// <summary>Parses a wire name; false when it names no status.</summary>
    public static bool TryParseWireName(string? value, out JobStatus status)
    {
        foreach (var candidate in Enum.GetValues<JobStatus>())
        {
            if (string.Equals(candidate.ToWireName(), value, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
