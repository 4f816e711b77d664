namespace Cordon.Contracts.Jobs;

/// <summary>Resources a job used, read from its cgroup.</summary>
public sealed record Usage
{
    /// <summary>CPU time in milliseconds (user + system).</summary>
    public required long CpuMs { get; init; }

    /// <summary>Peak memory in bytes.</summary>
    public required long PeakMemoryBytes { get; init; }
}
