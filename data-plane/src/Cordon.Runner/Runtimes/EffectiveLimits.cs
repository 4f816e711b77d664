namespace Cordon.Runner.Runtimes;

/// <summary>The limits a sandbox actually runs with: every member set and within the registry's ceilings.</summary>
internal sealed record EffectiveLimits(long TimeoutMs, int MemoryMb, double Cpus, int Pids, long OutputBytes, int DiskMb)
{
    public Contracts.Runner.V1.Limits ToProto() => new()
    {
        TimeoutMs = TimeoutMs,
        MemoryMb = MemoryMb,
        Cpus = Cpus,
        Pids = Pids,
        OutputBytes = OutputBytes,
        DiskMb = DiskMb,
    };
}
