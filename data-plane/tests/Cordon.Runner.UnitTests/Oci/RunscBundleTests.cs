using System.Text.Json.Nodes;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;

namespace Cordon.Runner.UnitTests.Oci;

/// <summary>What a runsc bundle changes against the runc one: the real profile and a real generated config.</summary>
public sealed class RunscBundleTests
{
    private static readonly string ProfilePath = Path.Combine(AppContext.BaseDirectory, "seccomp", "cordon-default.json");

    private static JsonObject Config(bool unifiedCgroups = false) => new BundleGenerator(
            SeccompProfile.Load(ProfilePath),
            new CgroupLayout(Unified: unifiedCgroups, HugePageSizes: ["2MB"], V1Controllers: ["memory", "pids"]))
        .Build(new SandboxSpec(
            "sbx-0123456789abcdef", HostIdBase: 165536, new EffectiveLimits(TimeoutMs: 10_000, MemoryMb: 256, Cpus: 1, Pids: 128, OutputBytes: 1_048_576, DiskMb: 128),
            RootfsPath: "/var/lib/cordon/runner/rootfs", InitPath: "/opt/cordon/bin/cordon-init", RuntimesPath: "/opt/cordon/runtimes",
            HostUsr: "/usr", MaxCpuSeconds: 45));

    private static IEnumerable<JsonObject> Rules(JsonObject config) => config["linux"]!["seccomp"]!["syscalls"]!.AsArray().OfType<JsonObject>();

    private static bool Names(JsonObject rule, string name) => rule["names"]!.AsArray().Any(n => n!.GetValue<string>() == name);

    [Fact]
    public void Adapt_Clone3_DeniedWithEnosysTurnsIntoTraceWhichAnswersEnosysWithoutATracer()
    {
        var config = Config();
        var before = Assert.Single(Rules(config), r => Names(r, "clone3"));
        Assert.Equal("SCMP_ACT_ERRNO", before["action"]!.GetValue<string>());
        Assert.Equal(38, before["errnoRet"]!.GetValue<int>());

        RunscBundle.Adapt(config);

        var after = Assert.Single(Rules(config), r => Names(r, "clone3"));
        Assert.Equal("SCMP_ACT_TRACE", after["action"]!.GetValue<string>());
        Assert.Null(after["errnoRet"]);
        // ptrace stays denied by the default action, so no process of the sandbox can become the tracer.
        Assert.DoesNotContain(Rules(config), r => Names(r, "ptrace"));
        Assert.Equal("SCMP_ACT_ERRNO", config["linux"]!["seccomp"]!["defaultAction"]!.GetValue<string>());
    }

    [Fact]
    public void Adapt_OtherErrnoRules_StayDenials()
    {
        var config = Config();
        var deniedBefore = Rules(config).Count(r => r["action"]!.GetValue<string>() == "SCMP_ACT_ERRNO");

        RunscBundle.Adapt(config);

        // The socket-family denials keep SCMP_ACT_ERRNO (this runsc answers EPERM for them instead of EAFNOSUPPORT).
        var denied = Rules(config).Where(r => r["action"]!.GetValue<string>() == "SCMP_ACT_ERRNO").ToList();
        Assert.Equal(deniedBefore - 1, denied.Count);
        Assert.All(denied, r => Assert.True(Names(r, "socket") && Names(r, "socketpair"), r.ToJsonString()));
        Assert.DoesNotContain(Rules(config), r => r["action"]!.GetValue<string>() is not ("SCMP_ACT_ERRNO" or "SCMP_ACT_ALLOW" or "SCMP_ACT_TRACE"));
    }

    [Fact]
    public void Adapt_Pselect6_IsAllowedUnderTheSentrysNameToo()
    {
        var config = Config();

        RunscBundle.Adapt(config);

        var rule = Assert.Single(Rules(config), r => Names(r, "pselect6"));
        Assert.True(Names(rule, "pselect"));
        Assert.Equal("SCMP_ACT_ALLOW", rule["action"]!.GetValue<string>());
        Assert.Single(Rules(config), r => Names(r, "pselect"));
    }

    [Fact]
    public void Adapt_RecursiveMountOptions_AreDroppedAndThePlainOnesKept()
    {
        var config = Config();

        RunscBundle.Adapt(config);

        var usr = config["mounts"]!.AsArray().Single(m => m!["destination"]!.GetValue<string>() == "/usr")!;
        Assert.Equal(["rbind", "ro", "nosuid", "nodev"], usr["options"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.DoesNotContain(config["mounts"]!.AsArray(), m => m!["options"]!.AsArray().Any(o => o!.GetValue<string>() is "rro" or "rnosuid" or "rnodev" or "rnoexec"));
    }

    [Fact]
    public void Adapt_CgroupV1Binds_BecomeOneReadOnlyCgroupMount()
    {
        var config = Config(unifiedCgroups: false);
        Assert.True(config["mounts"]!.AsArray().Count(m => m!["destination"]!.GetValue<string>().StartsWith("/sys/fs/cgroup", StringComparison.Ordinal)) > 1);

        RunscBundle.Adapt(config);

        var cgroup = Assert.Single(config["mounts"]!.AsArray(), m => m!["destination"]!.GetValue<string>().StartsWith("/sys/fs/cgroup", StringComparison.Ordinal))!;
        Assert.Equal("cgroup", cgroup["type"]!.GetValue<string>());
        Assert.Contains("ro", cgroup["options"]!.AsArray().Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public void Adapt_IcmpDevicesAndTheAgentsPriority_AreNarrowedByArgument()
    {
        var config = Config();

        RunscBundle.Adapt(config);

        var inet = Assert.Single(Rules(config), r => Names(r, "socket") && r["args"]!.AsArray()[0]!["value"]!.GetValue<long>() == 2 && r["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW");
        Assert.Contains(inet["args"]!.AsArray(), a => a!["index"]!.GetValue<int>() == 2 && a["value"]!.GetValue<long>() == 1 && a["op"]!.GetValue<string>() == "SCMP_CMP_NE");
        foreach (var name in new[] { "mknod", "mknodat", "setpriority", "sched_setaffinity" })
        {
            Assert.All(Rules(config).Where(r => Names(r, name)), r => Assert.NotNull(r["args"]));
        }

        // Character (0x2000) and block (0x6000) devices match no allow rule and meet the default EPERM.
        var mknodTypes = Rules(config).Where(r => Names(r, "mknod")).Select(r => r["args"]!.AsArray()[0]!["valueTwo"]!.GetValue<long>()).ToList();
        Assert.Equal([0L, 0x8000L, 0x1000L, 0xC000L], mknodTypes);
    }

    [Fact]
    public void Adapt_DevBind_BecomesTheSentrysDeviceTmpfs()
    {
        var config = Config();
        Assert.Equal("bind", config["mounts"]!.AsArray().Single(m => m!["destination"]!.GetValue<string>() == "/dev")!["type"]!.GetValue<string>());

        RunscBundle.Adapt(config);

        // The Sentry refuses writes to a device on a read-only mount; its own /dev has its own nodes, none of the host.
        var dev = Assert.Single(config["mounts"]!.AsArray(), m => m!["destination"]!.GetValue<string>() == "/dev")!;
        Assert.Equal("tmpfs", dev["type"]!.GetValue<string>());
        Assert.Equal(["nosuid", "noexec", "mode=0755"], dev["options"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Contains(config["mounts"]!.AsArray(), m => m!["destination"]!.GetValue<string>() == "/dev/pts");
    }

    [Fact]
    public void Adapt_TaskLimit_MovesToTheSentrysRlimitNprocWithAHostBackstopSizedForTheSentry()
    {
        var config = Config();
        Assert.Equal(128 + BundleGenerator.AgentTasks, config["linux"]!["resources"]!["pids"]!["limit"]!.GetValue<int>());

        RunscBundle.Adapt(config);

        var nproc = config["process"]!["rlimits"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "RLIMIT_NPROC")!;
        Assert.Equal(128, nproc["soft"]!.GetValue<long>());
        Assert.Equal(128, nproc["hard"]!.GetValue<long>());
        Assert.Equal((128 * RunscBundle.HostTasksPerTask) + RunscBundle.SentryTasks, config["linux"]!["resources"]!["pids"]!["limit"]!.GetValue<long>());
    }
}
