namespace Cordon.Runner.SecurityTests;

/// <summary>SECURITY.md §3.6: nothing of one job — workspace, /tmp, /dev/shm, SysV IPC — is visible to the next.</summary>
public sealed class CrossJobIsolationProbesTests
{
    [Fact]
    public async Task Residue_OfAnEarlierJob_IsInvisibleToTheNext()
    {
        var first = await Sandbox.RunAsync("c", CProbe.Program("""
                const char *files[] = { "/workspace/residue", "/tmp/residue", "/dev/shm/residue" };
                for (unsigned i = 0; i < 3; i++) { int fd = open(files[i], O_CREAT | O_WRONLY, 0644); printf("%s: %s\n", files[i], fd >= 0 ? "written" : strerrorname_np(errno)); }
                printf("shm: %s\n", shmget(0x0c0d0, 4096, IPC_CREAT | 0600) >= 0 ? "created" : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);
        Assert.Equal("ok", first.Line("control"));
        Assert.Equal("written", first.Line("/workspace/residue"));
        Assert.Equal("written", first.Line("/tmp/residue"));
        Assert.Equal("written", first.Line("/dev/shm/residue"));
        Assert.Equal("created", first.Line("shm"));

        var second = await Sandbox.RunAsync("c", CProbe.Program("""
                const char *files[] = { "/workspace/residue", "/tmp/residue", "/dev/shm/residue" };
                for (unsigned i = 0; i < 3; i++) printf("%s: %s\n", files[i], access(files[i], F_OK) == 0 ? "FOUND" : strerrorname_np(errno));
                printf("shm: %s\n", shmget(0x0c0d0, 0, 0) >= 0 ? "FOUND" : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);
        Assert.Equal("ok", second.Line("control"));
        Assert.Equal("ENOENT", second.Line("/workspace/residue"));
        Assert.Equal("ENOENT", second.Line("/tmp/residue"));
        Assert.Equal("ENOENT", second.Line("/dev/shm/residue"));
        Assert.Equal("ENOENT", second.Line("shm"));
    }
}
