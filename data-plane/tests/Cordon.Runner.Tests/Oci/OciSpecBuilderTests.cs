using System.Text.Json.Nodes;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;

namespace Cordon.Runner.Tests.Oci;

/// <summary>The generated config.json carries every SECURITY.md §2 line (the sandbox tests check them from inside).</summary>
public sealed class OciSpecBuilderTests
{
    // Parsed back from its text: the test sees exactly what runc reads.
    private static readonly JsonObject Config = JsonNode.Parse(OciSpecBuilder.Build(new SandboxSpec
    {
        Id = "abc",
        RootfsPath = "/data/rootfs",
        HostIdBase = 165536,
        Limits = new RuntimeLimits { TimeoutMs = 10000, MemoryMb = 256, Cpus = 1.5, Pids = 128, OutputBytes = 1 << 20, DiskMb = 64 },
        InitPath = "/bin/cordon-init",
        RuntimesPath = "/deploy/runtimes",
        AgentRunDir = "/data/sandboxes/abc/run",
        NetnsPath = "/run/netns/cordon-abc",
        CgroupsPath = "/cordon/abc",
        CpuSeconds = 45,
    }, SeccompProfile.Load(null)).ToJsonString())!.AsObject();

    [Fact]
    public void Build_Process_IsUnprivileged()
    {
        var process = Config["process"]!;

        Assert.Equal(1000, (int)process["user"]!["uid"]!);
        Assert.Equal(1000, (int)process["user"]!["gid"]!);
        Assert.Equal(18, (int)process["user"]!["umask"]!);
        Assert.True((bool)process["noNewPrivileges"]!);
        Assert.False((bool)process["terminal"]!);
        Assert.Equal("/workspace", (string)process["cwd"]!);
        Assert.Equal(1000, (int)process["oomScoreAdj"]!);
        Assert.All(process["capabilities"]!.AsObject(), c => Assert.Empty(c.Value!.AsArray()));
        Assert.Equal(["/opt/cordon/cordon-init"], process["args"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public void Build_Rlimits_AreSetAndNoAddressSpaceLimit()
    {
        var limits = Config["process"]!["rlimits"]!.AsArray().ToDictionary(r => (string)r!["type"]!, r => (long)r!["hard"]!);

        Assert.Equal(0, limits["RLIMIT_CORE"]);
        Assert.Equal(1024, limits["RLIMIT_NOFILE"]);
        Assert.Equal(64L * 1024 * 1024, limits["RLIMIT_FSIZE"]);
        Assert.Equal(65536, limits["RLIMIT_MEMLOCK"]);
        Assert.Equal(45, limits["RLIMIT_CPU"]);
        Assert.True(limits["RLIMIT_NPROC"] >= 128);
        Assert.False(limits.ContainsKey("RLIMIT_AS"));
    }

    [Fact]
    public void Build_Linux_HasAllNamespacesMappingsAndResources()
    {
        var linux = Config["linux"]!;

        Assert.Equal(
            ["cgroup", "ipc", "mount", "network", "pid", "user", "uts"],
            linux["namespaces"]!.AsArray().Select(n => (string)n!["type"]!).Order());
        Assert.Equal("/run/netns/cordon-abc", (string)linux["namespaces"]!.AsArray().Single(n => (string)n!["type"]! == "network")!["path"]!);
        Assert.Equal(165536, (long)linux["uidMappings"]![0]!["hostID"]!);
        Assert.Equal(65536, (long)linux["gidMappings"]![0]!["size"]!);
        Assert.Equal(256L * 1024 * 1024, (long)linux["resources"]!["memory"]!["limit"]!);
        Assert.Equal(256L * 1024 * 1024, (long)linux["resources"]!["memory"]!["swap"]!);
        Assert.Equal(150000, (long)linux["resources"]!["cpu"]!["quota"]!);
        Assert.Equal(128, (long)linux["resources"]!["pids"]!["limit"]!);
        Assert.Equal("private", (string)linux["rootfsPropagation"]!);
        Assert.Contains("/proc/kcore", linux["maskedPaths"]!.AsArray().Select(p => (string)p!));
        Assert.Contains("/proc/sys", linux["readonlyPaths"]!.AsArray().Select(p => (string)p!));
        Assert.True((bool)Config["root"]!["readonly"]!);
    }

    [Fact]
    public void Build_Mounts_AreNosuidNodevAndWorkspaceSized()
    {
        var mounts = Config["mounts"]!.AsArray().ToDictionary(m => (string)m!["destination"]!, m => m!["options"]!.AsArray().Select(o => (string)o!).ToList());

        Assert.All(mounts, m => Assert.Contains("nosuid", m.Value));
        Assert.All(mounts.Where(m => m.Key is not ("/dev" or "/dev/pts")), m => Assert.Contains("nodev", m.Value));
        Assert.Contains("size=65536k", mounts["/workspace"]);
        Assert.Contains("uid=1000", mounts["/workspace"]);
        Assert.Contains("ro", mounts["/usr"]);
        Assert.Contains("ro", mounts["/opt/cordon/cordon-init"]);
        Assert.Contains("ro", mounts["/sys"]);
        Assert.DoesNotContain("/sys/fs/cgroup", mounts.Keys);
    }

    [Fact]
    public void Build_Seccomp_DeniesByDefaultAndFiltersCloneAndIoUring()
    {
        var seccomp = Config["linux"]!["seccomp"]!;
        var rules = seccomp["syscalls"]!.AsArray();

        Assert.Equal("SCMP_ACT_ERRNO", (string)seccomp["defaultAction"]!);
        Assert.Equal(1, (int)seccomp["defaultErrnoRet"]!);
        Assert.Equal(["SCMP_ARCH_X86_64"], seccomp["architectures"]!.AsArray().Select(a => (string)a!));
        var allowed = rules.Where(r => (string)r!["action"]! == "SCMP_ACT_ALLOW" && r!["args"] is null).SelectMany(r => r!["names"]!.AsArray().Select(n => (string)n!)).ToHashSet();
        foreach (var denied in new[] { "io_uring_setup", "ptrace", "unshare", "setns", "mount", "bpf", "keyctl", "userfaultfd", "perf_event_open", "open_by_handle_at", "clone", "clone3", "kexec_load", "init_module", "process_vm_readv", "pidfd_getfd" })
        {
            Assert.DoesNotContain(denied, allowed);
        }

        Assert.Equal(38, (int)rules.Single(r => r!["names"]!.AsArray().Any(n => (string)n! == "clone3"))!["errnoRet"]!);
        Assert.Equal("SCMP_CMP_MASKED_EQ", (string)rules.Single(r => r!["names"]!.AsArray().Any(n => (string)n! == "clone"))!["args"]![0]!["op"]!);
        Assert.Null(Config["linux"]!["seccomp"]!["flags"]);
    }
}
