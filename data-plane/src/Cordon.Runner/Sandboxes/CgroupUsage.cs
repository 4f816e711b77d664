namespace Cordon.Runner.Sandboxes;

/// <summary>A snapshot of a sandbox cgroup's counters.</summary>
internal readonly record struct CgroupUsage(long CpuNanoseconds, long PeakMemoryBytes, long OomKills);
