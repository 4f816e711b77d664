using System.Text.Json;
using System.Text.Json.Nodes;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;
using Cordon.Runner.UnitTests.Support;

namespace Cordon.Runner.UnitTests.Oci;

public sealed class BundleGeneratorTests
{
    // The seccomp profile has its own file and probes; a stand-in keeps this golden file about the bundle itself.
    // The cgroup layout is fixed (v1 hierarchies, one huge page size, as on the CI host), not read off this host.
    private static readonly BundleGenerator Generator = new(
        new SeccompProfile(JsonNode.Parse("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[]}""")!),
        new CgroupLayout(Unified: false, HugePageSizes: ["2MB"], V1Controllers: ["memory", "cpu", "cpuacct", "pids"]));

    private static readonly SandboxSpec Spec = new(
        "sbx-0123456789abcdef", HostIdBase: 165536, new EffectiveLimits(TimeoutMs: 10_000, MemoryMb: 256, Cpus: 1.5, Pids: 128, OutputBytes: 1_048_576, DiskMb: 128),
        RootfsPath: "/var/lib/cordon/runner/rootfs", InitPath: "/opt/cordon/bin/cordon-init", RuntimesPath: "/opt/cordon/runtimes",
        HostUsr: "/usr", MaxCpuSeconds: 45);

    [Fact]
    public void Build_ConfigJson_MatchesTheGoldenFile()
    {
        var config = Generator.Build(Spec);

        Golden.Verify("config.golden.json", config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    [Fact]
    public void Build_Process_HasOnlyTheAgentsFourCapabilitiesAndNoNewPrivileges()
    {
        var process = Generator.Build(Spec)["process"]!;

        foreach (var set in new[] { "bounding", "effective", "permitted" })
        {
            Assert.Equal(["CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_KILL"], process["capabilities"]![set]!.AsArray().Select(c => c!.GetValue<string>()));
        }

        foreach (var set in new[] { "inheritable", "ambient" })
        {
            Assert.Empty(process["capabilities"]![set]!.AsArray());
        }

        Assert.True(process["noNewPrivileges"]!.GetValue<bool>());
        Assert.Equal(SandboxSpec.AgentUid, process["user"]!["uid"]!.GetValue<int>());
        // The agent is not the job: the job's programs drop to the job uid through cordon-spawn.
        var args = process["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal("1000", args[args.IndexOf("--job-uid") + 1]);
    }

    [Fact]
    public void Build_Namespaces_AreAllSevenWithTheUserRangeMapped()
    {
        var linux = Generator.Build(Spec)["linux"]!;

        var namespaces = linux["namespaces"]!.AsArray().Select(n => n!["type"]!.GetValue<string>()).Order();
        Assert.Equal(["cgroup", "ipc", "mount", "network", "pid", "user", "uts"], namespaces);
        var uidMap = Assert.Single(linux["uidMappings"]!.AsArray())!;
        Assert.Equal(165536, uidMap["hostID"]!.GetValue<int>());
        Assert.Equal(SandboxSpec.IdRangeSize, uidMap["size"]!.GetValue<int>());
    }

    [Fact]
    public void Build_Mounts_AreAllNosuidAndTheWritableOnesNodev()
    {
        var mounts = Generator.Build(Spec)["mounts"]!.AsArray();

        foreach (var mount in mounts)
        {
            var destination = mount!["destination"]!.GetValue<string>();
            var options = mount["options"]!.AsArray().Select(o => o!.GetValue<string>()).ToList();
            Assert.True(options.Contains("nosuid"), $"{destination} lacks nosuid");
            var writable = !options.Contains("ro");
            Assert.True(!writable || options.Contains("nodev") || destination is "/dev" or "/dev/pts", $"writable {destination} lacks nodev");
        }

        Assert.True(Generator.Build(Spec)["root"]!["readonly"]!.GetValue<bool>());
    }

    [Fact]
    public void Build_Limits_FollowTheSandboxsLimits()
    {
        var config = Generator.Build(Spec);

        var resources = config["linux"]!["resources"]!;
        Assert.Equal(128 + BundleGenerator.AgentTasks, resources["pids"]!["limit"]!.GetValue<int>());
        Assert.Equal(256L * 1024 * 1024, resources["memory"]!["limit"]!.GetValue<long>());
        Assert.Equal(150_000, resources["cpu"]!["quota"]!.GetValue<long>());
        var rlimits = config["process"]!["rlimits"]!.AsArray().ToDictionary(r => r!["type"]!.GetValue<string>(), r => r!["hard"]!.GetValue<long>());
        Assert.Equal(0, rlimits["RLIMIT_CORE"]);
        Assert.Equal(128L * 1024 * 1024, rlimits["RLIMIT_FSIZE"]);
        Assert.Equal(45, rlimits["RLIMIT_CPU"]);
    }
}
