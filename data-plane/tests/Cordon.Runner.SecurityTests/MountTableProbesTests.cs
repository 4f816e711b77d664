using System.Diagnostics;
using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>
/// Issue 15.9: every mount the sandbox sees, read from <c>/proc/self/mountinfo</c>. A writable mount needs
/// <c>nosuid</c> and <c>nodev</c> (device nodes, which need dev, are exempt from nodev and need noexec instead);
/// only the sandbox's scratch mounts may be writable at all; submounts of a bind carry its flags.
/// </summary>
public sealed class MountTableProbesTests
{
    /// <summary>
    /// Reads the mount table and prints one violation per rule a mount breaks. Under runsc (<c>RUNSC</c> true) the
    /// table shows only ro/rw and noexec of each mount (gVisor's view; this runsc takes no nosuid/nodev), so there
    /// the flag rules are tried instead: a device node made in each writable mount must be refused. <c>/dev</c> is the
    /// Sentry's device tmpfs there, rw in the table and root's 0755 (DevAndCgroupTree proves the job creates nothing).
    /// </summary>
    private static readonly string MountTableProbe = $$"""
        import os, stat
        print("control: ok")
        RUNSC = {{(TestRuntime.IsRunsc ? "True" : "False")}}
        # /run/secrets: the sandbox's own tmpfs for file secrets (the agent writes them, then seals the directory).
        writable = {"/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/workspace", "/tmp", "/run/secrets"} | ({"/dev"} if RUNSC else set())
        violations, count = [], 0
        for line in open("/proc/self/mountinfo"):
            fields = line.split()
            point = fields[4].replace("\\040", " ")
            options = set(fields[5].split(","))
            count += 1
            try:
                device = stat.S_ISCHR(os.stat(point).st_mode)
            except OSError:
                device = False
            rw = "rw" in options
            if RUNSC:
                if rw and not device and point not in writable:
                    violations.append(f"{point}:should-be-read-only")
                if rw and point not in ("/proc", "/dev/pts", "/dev/mqueue"):
                    try:
                        os.mknod(os.path.join(point, "probe-node"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
                        violations.append(f"{point}:device-node-made")
                    except PermissionError:
                        pass
                continue
            if rw and "nosuid" not in options:
                violations.append(f"{point}:writable-without-nosuid")
            if rw and "nodev" not in options and not device and point not in ("/dev", "/dev/pts"):
                violations.append(f"{point}:writable-without-nodev")
            if device and not {"nosuid", "noexec"} <= options:
                violations.append(f"{point}:device-without-nosuid-noexec")
            if rw and not device and point not in writable:
                violations.append(f"{point}:should-be-read-only")
        print("mounts:", count)
        print("violations:", " ".join(violations) or "none")
        """;

    [Fact]
    public async Task MountTable_EveryMount_IsReadOnlyOrNosuidNodevAsItsRoleNeeds()
    {
        var outcome = await Sandbox.RunAsync("python", MountTableProbe, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.True(int.Parse(outcome.Line("mounts") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 10, outcome.ToString());
        Assert.True(outcome.Line("violations") == "none", outcome.ToString());
    }

    [Fact]
    public async Task DevAndCgroupTree_WrittenFromTheJob_AreReadOnlyWhileDevicesStillWork()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                int fd = open("/dev/null", O_WRONLY);
                printf("dev-null-write: %s\n", fd >= 0 && write(fd, "x", 1) == 1 ? "ok" : strerrorname_np(errno));
                char byte;
                int zero = open("/dev/zero", O_RDONLY);
                printf("dev-zero-read: %s\n", zero >= 0 && read(zero, &byte, 1) == 1 && byte == 0 ? "ok" : strerrorname_np(errno));
                int random = open("/dev/urandom", O_RDONLY);
                printf("dev-urandom-read: %s\n", random >= 0 && read(random, &byte, 1) == 1 ? "ok" : strerrorname_np(errno));
                printf("dev-fd-link: %s\n", access("/dev/fd/0", F_OK) == 0 ? "ok" : strerrorname_np(errno));
                PROBE("dev-create", open("/dev/probe", O_CREAT | O_WRONLY, 0644));
                PROBE("dev-mknod", mknod("/dev/shm/probe-null", S_IFCHR | 0666, makedev(1, 3)));
                PROBE("cgroup-create", mkdir("/sys/fs/cgroup/probe", 0755));
                PROBE("cgroup-memory-write", open("/sys/fs/cgroup/memory/memory.limit_in_bytes", O_WRONLY));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        foreach (var control in new[] { "dev-null-write", "dev-zero-read", "dev-urandom-read", "dev-fd-link" })
        {
            Assert.True(outcome.Line(control) == "ok", $"{control}: {outcome.Line(control)}\n{outcome}");
        }

        // runc: the read-only /dev bind. runsc: the Sentry's device tmpfs, root's 0755 (Oci/RunscBundle), and gVisor
        // checks permissions before the ro flag of the cgroup mount.
        Assert.Equal(TestRuntime.IsRunsc ? "blocked EACCES" : "blocked EROFS", outcome.Line("dev-create"));
        Assert.StartsWith("blocked E", outcome.Line("dev-mknod"), StringComparison.Ordinal); // no CAP_MKNOD, nodev anyway
        Assert.Equal(TestRuntime.IsRunsc ? "blocked EACCES" : "blocked EROFS", outcome.Line("cgroup-create"));
        Assert.StartsWith("blocked E", outcome.Line("cgroup-memory-write"), StringComparison.Ordinal); // EROFS on v1, EACCES where absent
    }

    [Fact]
    public async Task HostUsr_WithASubmount_IsReadOnlyNosuidNodevAllTheWayDown()
    {
        // A host /usr with a mount below it (a writable tmpfs at /usr/local): the sandbox's /usr bind must carry
        // ro, nosuid and nodev to that submount too, not just to its top.
        var usr = Directory.CreateTempSubdirectory("cordon-usr-");
        usr.UnixFileMode = (UnixFileMode)0b111_101_101;
        var local = Path.Combine(usr.FullName, "local");
        await MountAsync(["--bind", "/usr", usr.FullName]);
        try
        {
            // World-writable, so only the mount's read-only flag can refuse the job's write (not the permissions).
            await MountAsync(["-t", "tmpfs", "-o", "size=1m,mode=0777", "cordon-usr-local", local]);
            var outcome = await Sandbox.RunAsync("python", """
                import os
                print("control: ok")
                for path in ["/usr", "/usr/local"]:
                    flags = os.statvfs(path).f_flag
                    print(f"{path}: nosuid={bool(flags & os.ST_NOSUID)} nodev={bool(flags & os.ST_NODEV)} ro={bool(flags & os.ST_RDONLY)}")
                try:
                    open("/usr/local/probe", "w")
                    print("usr-local-write: ESCAPED")
                except OSError as e:
                    print("usr-local-write: blocked", e.strerror)
                """, TestContext.Current.CancellationToken, runnerEnv: new Dictionary<string, string> { ["Cordon__Runner__HostUsr"] = usr.FullName });

            Assert.Equal("ok", outcome.Line("control"));
            Assert.Equal("blocked Read-only file system", outcome.Line("usr-local-write"));
            if (TestRuntime.IsRunsc)
            {
                // gVisor's statvfs shows no flags (a view difference); the Sentry serves the bind as one read-only
                // mount through its gofer, submount and all: the write above is refused by the mount alone.
                Assert.Equal("nosuid=False nodev=False ro=False", outcome.Line("/usr/local"));
                return;
            }

            Assert.Equal("nosuid=True nodev=True ro=True", outcome.Line("/usr"));
            Assert.True(outcome.Line("/usr/local") == "nosuid=True nodev=True ro=True", outcome.ToString());
        }
        finally
        {
            await MountAsync(["-l", usr.FullName], "umount"); // a lazy unmount detaches the submount with it
            usr.Delete();
        }
    }

    private static async Task MountAsync(IReadOnlyList<string> arguments, string command = "mount")
    {
        var info = new ProcessStartInfo(command, arguments) { RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {error}");
    }
}
