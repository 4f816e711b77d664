namespace Cordon.Contracts.Jobs;

/// <summary>Resource limits of a job or session. Every member is optional; the runtime's defaults fill the gaps.</summary>
public sealed record ResourceLimits
{
    /// <summary>Wall-clock timeout in milliseconds (a sleeping program times out too).</summary>
    public long? TimeoutMs { get; init; }

    /// <summary>Memory limit in MiB, enforced by the sandbox's memory cgroup (no swap).</summary>
    public int? MemoryMb { get; init; }

    /// <summary>CPU quota in cores.</summary>
    public double? Cpus { get; init; }

    /// <summary>Maximum number of processes and threads.</summary>
    public int? Pids { get; init; }

    /// <summary>Maximum bytes of stdout plus stderr kept; past it the job ends <c>output_limit</c>.</summary>
    public long? OutputBytes { get; init; }

    /// <summary>Size of the <c>/workspace</c> tmpfs in MiB.</summary>
    public int? DiskMb { get; init; }
}
