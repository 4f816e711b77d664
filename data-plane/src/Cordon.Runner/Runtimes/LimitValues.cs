namespace Cordon.Runner.Runtimes;

/// <summary>Limits as the registry files write them; null members fall through to the next layer.</summary>
internal sealed record LimitValues
{
    public long? TimeoutMs { get; init; }
    public int? MemoryMb { get; init; }
    public double? Cpus { get; init; }
    public int? Pids { get; init; }
    public long? OutputBytes { get; init; }
    public int? DiskMb { get; init; }
}
