namespace Cordon.Runner.SecurityTests;

/// <summary>SECURITY.md §3.1: read-only root, no host paths, no link route out, mount flags.</summary>
public sealed class FilesystemProbesTests
{
    [Fact]
    public async Task RootFilesystem_WriteOutsideWorkspace_FailsWithErofs()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                PROBE("root-create", open("/probe", O_CREAT | O_WRONLY, 0644));
                PROBE("usr-create", open("/usr/bin/probe", O_CREAT | O_WRONLY, 0755));
                PROBE("etc-mkdir", mkdir("/etc/probe", 0755));
                int fd = open("/workspace/ok", O_CREAT | O_WRONLY, 0644);
                printf("workspace-write: %s\n", fd >= 0 && write(fd, "x", 1) == 1 ? "ok" : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("blocked EROFS", outcome.Line("root-create"));
        Assert.Equal("blocked EROFS", outcome.Line("usr-create"));
        Assert.Equal("blocked EROFS", outcome.Line("etc-mkdir"));
        Assert.Equal("ok", outcome.Line("workspace-write"));
    }

    [Fact]
    public async Task HostPaths_OutsideReadOnlyBinds_AreInvisible()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                const char *paths[] = { "/root", "/home", "/var/lib", "/boot", "/srv", "/work", "/run/netns", "/etc/shadow", "/etc/hostname" };
                for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++) PROBE(paths[i], access(paths[i], F_OK));
                printf("python-present: %s\n", access("/usr/bin/python3", X_OK) == 0 ? "ok" : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("python-present"));
        foreach (var path in new[] { "/root", "/home", "/var/lib", "/boot", "/srv", "/work", "/run/netns", "/etc/shadow", "/etc/hostname" })
        {
            Assert.True(outcome.Line(path) == "blocked ENOENT", $"{path}: {outcome.Line(path)}\n{outcome}");
        }
    }

    [Fact]
    public async Task Hardlink_ToHostBinary_FailsWithExdev()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                PROBE("hardlink-usr", link("/usr/bin/python3", "/workspace/python3"));
                PROBE("symlink-create", symlink("/etc", "/workspace/etc-link"));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("blocked EXDEV", outcome.Line("hardlink-usr"));
        Assert.Equal("ESCAPED", outcome.Line("symlink-create")); // a symlink inside the workspace is allowed: it only points into the sandbox
    }

    [Fact]
    public async Task Mounts_EveryWritableAndBoundMount_IsNosuidNodev()
    {
        var outcome = await Sandbox.RunAsync("python", """
            import os
            print("control: ok")
            for path in ["/", "/usr", "/workspace", "/tmp", "/dev/shm", "/proc", "/sys"]:
                flags = os.statvfs(path).f_flag
                print(f"{path}: nosuid={bool(flags & os.ST_NOSUID)} nodev={bool(flags & os.ST_NODEV)} ro={bool(flags & os.ST_RDONLY)}")
            print("setuid-bit-present:", bool(os.stat("/usr/bin/su").st_mode & 0o4000))
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("True", outcome.Line("setuid-bit-present")); // the bit is there, the mount makes it inert
        Assert.Equal("nosuid=True nodev=True ro=True", outcome.Line("/usr"));
        Assert.Equal("nosuid=True nodev=True ro=False", outcome.Line("/workspace"));
        Assert.Equal("nosuid=True nodev=True ro=False", outcome.Line("/tmp"));
        Assert.Equal("nosuid=True nodev=True ro=False", outcome.Line("/dev/shm"));
        Assert.Equal("nosuid=True nodev=True ro=True", outcome.Line("/sys"));
        Assert.StartsWith("nosuid=True nodev=True", outcome.Line("/proc"), StringComparison.Ordinal);
        Assert.EndsWith("ro=True", outcome.Line("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetuidBinary_RunInSandbox_GainsNoPrivilege()
    {
        // su is setuid root on the host; under nosuid and noNewPrivileges it runs as the sandbox user and fails.
        var outcome = await Sandbox.RunAsync("bash", """
            echo "control: ok"
            echo "uid: $(id -u)"
            su -c 'echo ESCAPED' root </dev/null >/dev/null 2>&1 && echo "su: ESCAPED" || echo "su: blocked"
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("1000", outcome.Line("uid"));
        Assert.Equal("blocked", outcome.Line("su"));
    }
}
