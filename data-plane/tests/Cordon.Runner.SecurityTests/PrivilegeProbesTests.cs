using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>SECURITY.md §3.3: capabilities zero, NoNewPrivs, seccomp on, unprivileged mapped uid, privileged calls denied.</summary>
public sealed class PrivilegeProbesTests
{
    [Fact]
    public async Task ProcessStatus_OfTheJob_HasNoCapabilitiesNoNewPrivsAndSeccomp()
    {
        var outcome = await Sandbox.RunAsync("bash", """
            echo "control: ok"
            grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Uid|Gid):' /proc/self/status | tr -s '\t ' ' ' | sed 's/: /: /'
            # Asked of the kernel itself: PR_GET_NO_NEW_PRIVS, and the ambient set capability by capability
            # (PR_CAP_AMBIENT_IS_SET).
            python3 -c 'import ctypes; print("no-new-privs:", ctypes.CDLL(None).prctl(39, 0, 0, 0, 0))'
            python3 -c 'import ctypes, errno; libc = ctypes.CDLL(None, use_errno=True); answers = {libc.prctl(47, 1, c, 0, 0) for c in range(41)}; print("ambient-held:", "none" if answers == {0} else "unsupported " + errno.errorcode[ctypes.get_errno()] if answers == {-1} else sorted(answers))'
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd" })
        {
            Assert.True(outcome.Line(set)?.Trim() == "0000000000000000", $"{set}: {outcome.Line(set)}\n{outcome}");
        }

        // gVisor's /proc/<pid>/status has no CapAmb line (a view difference), and its prctl has no PR_CAP_AMBIENT
        // (EINVAL for every capability): this Sentry keeps no ambient set at all, so nothing can be held in one.
        // Linux answers each capability with 0, not held.
        Assert.True(TestRuntime.IsRunsc ? outcome.Line("CapAmb") is null : outcome.Line("CapAmb")?.Trim() == "0000000000000000", outcome.ToString());
        Assert.Equal(TestRuntime.IsRunsc ? "unsupported EINVAL" : "none", outcome.Line("ambient-held"));

        // PR_GET_NO_NEW_PRIVS asked of the kernel; gVisor's status has no NoNewPrivs line (a view difference).
        Assert.Equal("1", outcome.Line("no-new-privs"));
        Assert.Equal(TestRuntime.IsRunsc ? null : "1", outcome.Line("NoNewPrivs")?.Trim());
        Assert.Equal("2", outcome.Line("Seccomp")?.Trim());
        Assert.Equal("1000 1000 1000 1000", outcome.Line("Uid")?.Trim());
    }

    [Fact]
    public async Task UserNamespace_UidZeroInside_IsAnUnprivilegedHostUid()
    {
        // Under runsc the job's uids are the Sentry's own (no host process ever runs as one); what runs the job's
        // code on the host is the Sentry, so that is the process whose host uid must not be root. The job stays alive
        // long enough for the host side to see its Sentry.
        var job = Sandbox.RunAsync("bash", """
            echo "control: ok"
            echo "uid_map: $(tr -s ' ' < /proc/self/uid_map | sed 's/^ //')"
            echo "gid_map: $(tr -s ' ' < /proc/self/gid_map | sed 's/^ //')"
            sleep 3
            """, TestContext.Current.CancellationToken);
        var sentryUids = new HashSet<string>();
        while (TestRuntime.IsRunsc && !job.IsCompleted)
        {
            foreach (var uid in HostProcesses.RealUidsOf("runsc-sandbox"))
            {
                sentryUids.Add(uid);
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        var outcome = await job;
        Assert.Equal("ok", outcome.Line("control"));
        if (TestRuntime.IsRunsc)
        {
            // The Sentry's view: its root user namespace owns every id. The Sentry itself runs as host nobody.
            Assert.Equal("0 0 4294967295", outcome.Line("uid_map"));
            Assert.Equal("0 0 4294967295", outcome.Line("gid_map"));
            Assert.NotEmpty(sentryUids);
            Assert.DoesNotContain("0", sentryUids);
            return;
        }

        foreach (var map in new[] { "uid_map", "gid_map" })
        {
            var fields = outcome.Line(map)!.Split(' ');
            Assert.Equal("0", fields[0]);
            Assert.True(long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) >= 100_000, $"{map} maps to host {fields[1]}");
            Assert.True(long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture) <= 65_536, $"{map} maps {fields[2]} ids");
        }
    }

    [Fact]
    public async Task PrivilegedCalls_FromTheJob_AreDenied()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                PROBE("mount-tmpfs", mount("none", "/workspace", "tmpfs", 0, NULL));
                PROBE("unshare-user", unshare(CLONE_NEWUSER));
                PROBE("unshare-net", unshare(CLONE_NEWNET));
                PROBE("chroot", chroot("/workspace"));
                PROBE("setuid-0", setuid(0));
                PROBE("ptrace-attach", syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, 1, 0, 0));
                PROBE("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0));
                PROBE("mknod", mknod("/workspace/dev", S_IFCHR | 0600, makedev(1, 3)));
                printf("getpid: %s\n", getpid() > 0 ? "ok" : "failed");
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("getpid"));
        foreach (var probe in new[] { "mount-tmpfs", "unshare-user", "unshare-net", "chroot", "setuid-0", "ptrace-attach", "keyctl", "mknod" })
        {
            Assert.True(outcome.Line(probe) == "blocked EPERM", $"{probe}: {outcome.Line(probe)}\n{outcome}");
        }
    }
}
