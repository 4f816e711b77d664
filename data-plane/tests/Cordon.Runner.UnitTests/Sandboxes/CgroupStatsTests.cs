using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.UnitTests.Sandboxes;

/// <summary>Cgroup parsing against directories laid out like the kernel's v1 and v2 trees.</summary>
public sealed class CgroupStatsTests : IDisposable
{
    private const string Sandbox = "/cordon/sbx-1";
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cordon-cgroup-");

    [Fact]
    public void Read_Unified_ParsesCpuPeakAndOomKills()
    {
        Write("cgroup.controllers", "cpu memory pids\n");
        Write("cordon/sbx-1/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        Write("cordon/sbx-1/memory.peak", "7340032\n");
        Write("cordon/sbx-1/memory.events", "low 0\nhigh 0\nmax 4\noom 2\noom_kill 1\noom_group_kill 0\n");

        var snapshot = new CgroupStats(_root.FullName).Read(Sandbox);

        Assert.Equal(new CgroupSnapshot(CpuNanoseconds: 1_500_000, PeakMemoryBytes: 7_340_032, OomKills: 1), snapshot);
    }

    [Fact]
    public void Read_V1_ParsesEachController()
    {
        Write("cpuacct/cordon/sbx-1/cpuacct.usage", "123456789\n");
        Write("memory/cordon/sbx-1/memory.max_usage_in_bytes", "1048576\n");
        Write("memory/cordon/sbx-1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");

        var snapshot = new CgroupStats(_root.FullName).Read(Sandbox);

        Assert.Equal(new CgroupSnapshot(123_456_789, 1_048_576, 3), snapshot);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a number\n")]
    [InlineData("usage_usec\n")]
    public void Read_MissingOrMalformed_IsZero(string cpuStat)
    {
        Write("cgroup.controllers", "cpu memory\n");
        Write("cordon/sbx-1/cpu.stat", cpuStat);
        Write("cordon/sbx-1/memory.peak", "max\n");

        var snapshot = new CgroupStats(_root.FullName).Read(Sandbox);

        Assert.Equal(default, snapshot);
    }

    [Fact]
    public void Read_NoCgroupAtAll_IsZero()
    {
        Write("cgroup.controllers", "cpu memory\n");

        Assert.Equal(default, new CgroupStats(_root.FullName).Read(Sandbox));
    }

    [Fact]
    public void RemoveLeftovers_V1_RemovesEmptyDirectoriesInEveryHierarchy()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "memory/cordon/sbx-1/child"));
        Directory.CreateDirectory(Path.Combine(_root.FullName, "pids/cordon/sbx-1"));
        Directory.CreateDirectory(Path.Combine(_root.FullName, "cpu/cordon/sbx-2"));
        var stats = new CgroupStats(_root.FullName);
        Assert.Equal(2, stats.Leftovers(Sandbox).Count);

        stats.RemoveLeftovers(Sandbox);

        Assert.Empty(stats.Leftovers(Sandbox));
        Assert.True(Directory.Exists(Path.Combine(_root.FullName, "cpu/cordon/sbx-2")));
    }

    public void Dispose() => _root.Delete(recursive: true);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
