namespace Cordon.Runner.Runtimes;

/// <summary>Resource limits of one sandbox or execution (the runner's view of <c>Limits</c>).</summary>
internal sealed record RuntimeLimits
{
    public long TimeoutMs { get; init; }
    public int MemoryMb { get; init; }
    public double Cpus { get; init; }
    public int Pids { get; init; }
    public long OutputBytes { get; init; }
    public int DiskMb { get; init; }

    /// <summary>Zero fields take <paramref name="defaults"/>; throws <see cref="ArgumentException"/> past <paramref name="max"/>.</summary>
    public RuntimeLimits Resolve(RuntimeLimits defaults, RuntimeLimits max)
    {
        var resolved = new RuntimeLimits
        {
            TimeoutMs = TimeoutMs > 0 ? TimeoutMs : defaults.TimeoutMs,
            MemoryMb = MemoryMb > 0 ? MemoryMb : defaults.MemoryMb,
            Cpus = Cpus > 0 ? Cpus : defaults.Cpus,
            Pids = Pids > 0 ? Pids : defaults.Pids,
            OutputBytes = OutputBytes > 0 ? OutputBytes : defaults.OutputBytes,
            DiskMb = DiskMb > 0 ? DiskMb : defaults.DiskMb,
        };
        if (TimeoutMs < 0 || MemoryMb < 0 || Cpus < 0 || Pids < 0 || OutputBytes < 0 || DiskMb < 0)
        {
            throw new ArgumentException("Limits must not be negative.");
        }

        Check(resolved.TimeoutMs, max.TimeoutMs, "timeoutMs");
        Check(resolved.MemoryMb, max.MemoryMb, "memoryMb");
        Check(resolved.Cpus, max.Cpus, "cpus");
        Check(resolved.Pids, max.Pids, "pids");
        Check(resolved.OutputBytes, max.OutputBytes, "outputBytes");
        Check(resolved.DiskMb, max.DiskMb, "diskMb");
        return resolved;
    }

    private static void Check(double value, double max, string name)
    {
        if (max > 0 && value > max)
        {
            throw new ArgumentException($"Limit {name}={value} exceeds the maximum {max}.");
        }
    }
}
