using System.Text.Json.Serialization;

namespace Cordon.Contracts.Jobs;

/// <summary>Where a job (or a session execution) is in its life. A job only ever moves forward.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    /// <summary>Accepted and persisted, waiting for a runner.</summary>
    [JsonStringEnumMemberName("queued")] Queued,
    /// <summary>Running in a sandbox.</summary>
    [JsonStringEnumMemberName("running")] Running,
    /// <summary>The program exited with code 0.</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    /// <summary>The program exited non-zero or was killed by a signal.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>The compile step failed; the program never ran.</summary>
    [JsonStringEnumMemberName("compile_error")] CompileError,
    /// <summary>The wall-clock timeout expired.</summary>
    [JsonStringEnumMemberName("timeout")] Timeout,
    /// <summary>The sandbox's memory cgroup killed the program.</summary>
    [JsonStringEnumMemberName("memory_limit")] MemoryLimit,
    /// <summary>Output went past <c>outputBytes</c>; it was cut and the program stopped.</summary>
    [JsonStringEnumMemberName("output_limit")] OutputLimit,
    /// <summary>Cancelled by the client.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>Refused by policy or quota; <c>error</c> says why.</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,
    /// <summary>Infrastructure failure; <c>error</c> says why.</summary>
    [JsonStringEnumMemberName("error")] Error,
}
