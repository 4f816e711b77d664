using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>SECURITY.md §3.2: masked and read-only /proc and /sys paths, no host environment, agent not inspectable.</summary>
public sealed class ProcAndSysProbesTests
{
    [Fact]
    public async Task MaskedPaths_Read_ShowNothing()
    {
        var outcome = await Sandbox.RunAsync("python", """
            import os
            print("control: ok")
            print("version-bytes:", len(open("/proc/version").read()) > 0)
            for path in ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/latency_stats"]:
                try:
                    with open(path, "rb") as f:
                        print(f"{path}: {len(f.read(4096))} bytes")
                except OSError as e:
                    print(f"{path}: {os.strerror(e.errno)}")
            for path in ["/sys/firmware", "/proc/acpi", "/proc/scsi"]:
                try:
                    print(f"{path}: {len(os.listdir(path))} entries")
                except OSError as e:
                    print(f"{path}: {os.strerror(e.errno)}")
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("True", outcome.Line("version-bytes"));
        foreach (var path in new[] { "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/latency_stats" })
        {
            var line = outcome.Line(path);
            Assert.True(line is "0 bytes" or "No such file or directory", $"{path}: {line}\n{outcome}");
        }

        foreach (var path in new[] { "/sys/firmware", "/proc/acpi", "/proc/scsi" })
        {
            var line = outcome.Line(path);
            Assert.True(line is "0 entries" or "No such file or directory", $"{path}: {line}\n{outcome}");
        }
    }

    [Fact]
    public async Task KernelKnobs_Write_FailReadOnly()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                const char *knobs[] = { "/proc/sysrq-trigger", "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe",
                                        "/proc/sys/vm/drop_caches", "/sys/kernel/uevent_helper", "/proc/sys/fs/binfmt_misc/register" };
                for (unsigned i = 0; i < sizeof knobs / sizeof *knobs; i++) PROBE(knobs[i], open(knobs[i], O_WRONLY));
                // Control: a knob both Linux and gVisor's /proc/sys have (gVisor has no kernel/ostype) reads.
                printf("proc-read: %s\n", open("/proc/sys/kernel/hostname", O_RDONLY) >= 0 ? "ok" : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("proc-read"));
        foreach (var knob in new[] { "/proc/sysrq-trigger", "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe", "/proc/sys/vm/drop_caches", "/sys/kernel/uevent_helper", "/proc/sys/fs/binfmt_misc/register" })
        {
            var line = outcome.Line(knob);
            Assert.True(line is "blocked EROFS" or "blocked EACCES" or "blocked ENOENT", $"{knob}: {line}\n{outcome}");
        }
    }

    [Fact]
    public async Task Environment_OfTheJob_CarriesNothingFromTheHost()
    {
        var outcome = await Sandbox.RunAsync("python", """
            import os
            print("control: ok")
            print("keys:", ",".join(sorted(os.environ)))
            print("home:", os.environ.get("HOME"))
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        var keys = outcome.Line("keys")!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(keys, k => k.StartsWith("Cordon", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET", StringComparison.Ordinal)
            || k.StartsWith("ASPNETCORE", StringComparison.Ordinal) || k is "PYENV_ROOT" or "SSH_AUTH_SOCK" or "CI" or "CORDON_BIN_DIR");
        Assert.NotEqual("/root", outcome.Line("home"));
    }

    [Fact]
    public async Task Agent_Pid1_IsNotInspectableByTheJob()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                PROBE("pid1-environ", open("/proc/1/environ", O_RDONLY));
                PROBE("pid1-mem", open("/proc/1/mem", O_RDONLY));
                PROBE("pid1-mem-write", open("/proc/1/mem", O_RDWR));
                PROBE("pid1-maps", open("/proc/1/maps", O_RDONLY));
                PROBE("pid1-kill", kill(1, SIGKILL));
                // What an open environ shows (runsc): every NUL-separated entry, joined by spaces.
                char env[4096] = {0};
                int e = open("/proc/1/environ", O_RDONLY);
                ssize_t n = e >= 0 ? read(e, env, sizeof env - 1) : -1;
                for (ssize_t i = 0; i + 1 < n; i++) if (env[i] == 0) env[i] = ' ';
                printf("pid1-environ-text: %s\n", n >= 0 ? env : strerrorname_np(errno));
                printf("self-environ: %s\n", open("/proc/self/environ", O_RDONLY) >= 0 ? "ok" : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("self-environ"));
        // mem stays closed under both runtimes (gVisor checks ptrace access there).
        Assert.Equal("blocked EACCES", outcome.Line("pid1-mem"));
        Assert.Equal("blocked EACCES", outcome.Line("pid1-mem-write"));
        if (TestRuntime.IsRunsc)
        {
            // A runtime gap (Oci/RuntimeGaps): this gVisor release checks no ptrace access for another uid's environ
            // and maps (Linux refuses both: the agent is another uid and non-dumpable). The agent's environment is the
            // bundle's fixed PATH/LANG/HOME — proven here to be all it holds, so the open environ leaks nothing; maps
            // shows its address layout, while mem (the contents) stays closed. maskedPaths are ignored by this runsc,
            // and a bind over /proc/1/* detaches /proc/1 from the agent itself, so neither can close it.
            Assert.True(outcome.Line("pid1-environ") == "ESCAPED" && outcome.Line("pid1-maps") == "ESCAPED", outcome.ToString());
            // In any order: this runsc does not keep the bundle's order (it varied between runs).
            Assert.Equal(
                ["HOME=/workspace", "LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin"],
                (outcome.Line("pid1-environ-text") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.Equal("blocked EACCES", outcome.Line("pid1-environ"));
            Assert.Equal("blocked EACCES", outcome.Line("pid1-maps"));
            Assert.Equal("EACCES", outcome.Line("pid1-environ-text"));
        }

        // kill(1, SIGKILL) "succeeds" in the sense that the kernel drops signals to a pid-namespace init that has
        // no handler for them: the agent must survive it, which the result arriving at all proves.
        Assert.Equal("succeeded", outcome.Status);
    }
}
