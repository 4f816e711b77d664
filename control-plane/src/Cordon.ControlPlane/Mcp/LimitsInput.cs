using System.ComponentModel;
using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Mcp;

/// <summary>Resource limits of a run or session; every member optional, the runtime's defaults fill the gaps.</summary>
internal sealed record LimitsInput
{
    [Description("Wall-clock timeout in milliseconds (a sleeping program times out too).")]
    public long? TimeoutMs { get; init; }

    [Description("Memory limit in MiB; past it the program is killed (status memory_limit).")]
    public int? MemoryMb { get; init; }

    [Description("CPU quota in cores, e.g. 0.5 or 2.")]
    public double? Cpus { get; init; }

    [Description("Maximum number of processes and threads.")]
    public int? Pids { get; init; }

    [Description("Maximum bytes of stdout plus stderr kept; past it the run ends with status output_limit.")]
    public long? OutputBytes { get; init; }

    [Description("Size of the /workspace disk in MiB.")]
    public int? DiskMb { get; init; }

    public ResourceLimits ToContract() => new()
    {
        TimeoutMs = TimeoutMs,
        MemoryMb = MemoryMb,
        Cpus = Cpus,
        Pids = Pids,
        OutputBytes = OutputBytes,
        DiskMb = DiskMb,
    };
}
