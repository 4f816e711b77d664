using Cordon.Runner.Sandboxes;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

/// <summary>Issue 15.11: the teardown counts what is left in a sandbox's cgroup, in every hierarchy and below.</summary>
public sealed class CgroupStatsTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cordon-cgroups-");

    [Fact]
    public void Processes_LeftInAnyHierarchyOrChild_AreCounted()
    {
        Write("memory/cordon/sbx-1/cgroup.procs", "");
        Write("pids/cordon/sbx-1/cgroup.procs", "41\n");
        Write("pids/cordon/sbx-1/child/cgroup.procs", "42\n43\n");
        Write("pids/cordon/sbx-2/cgroup.procs", "99\n");
        var stats = new CgroupStats(_root.FullName);

        Assert.Equal(3, stats.Processes("/cordon/sbx-1"));
        Assert.Equal(0, stats.Processes("/cordon/sbx-gone"));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
