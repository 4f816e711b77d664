namespace Cordon.Runner.Sandboxes;

/// <summary>Counters read from a sandbox's cgroup at one moment.</summary>
internal readonly record struct CgroupSnapshot(long CpuNanoseconds, long PeakMemoryBytes, long OomKills);
