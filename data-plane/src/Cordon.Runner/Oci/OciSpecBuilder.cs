using System.Globalization;
using System.Text.Json.Nodes;

namespace Cordon.Runner.Oci;

/// <summary>
/// Writes the OCI runtime <c>config.json</c> of a sandbox. Every line of SECURITY.md §2 lives here; the
/// tests read the sandbox from the inside to check each one.
/// </summary>
internal static class OciSpecBuilder
{
    /// <summary>The uid and gid of the agent and every program inside the sandbox.</summary>
    public const int SandboxUid = 1000;

    /// <summary>Width of each sandbox's id range.</summary>
    public const int IdRangeSize = 65536;

    public static JsonObject Build(SandboxSpec spec, JsonNode seccomp, bool unifiedCgroup = false)
    {
        var l = spec.Limits;
        var memoryBytes = (long)l.MemoryMb * 1024 * 1024;
        var diskBytes = (long)l.DiskMb * 1024 * 1024;
        var inodes = Math.Max(1024, l.DiskMb * 64);
        var config = new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = new JsonObject
            {
                ["terminal"] = false,
                ["user"] = new JsonObject { ["uid"] = SandboxUid, ["gid"] = SandboxUid, ["umask"] = 18, ["additionalGids"] = new JsonArray() },
                ["args"] = new JsonArray("/opt/cordon/cordon-init"),
                // Built from scratch: nothing of the runner's environment reaches the sandbox.
                ["env"] = new JsonArray("PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/workspace", "LANG=C.UTF-8"),
                ["cwd"] = "/workspace",
                ["capabilities"] = new JsonObject
                {
                    ["bounding"] = new JsonArray(),
                    ["effective"] = new JsonArray(),
                    ["inheritable"] = new JsonArray(),
                    ["permitted"] = new JsonArray(),
                    ["ambient"] = new JsonArray(),
                },
                ["rlimits"] = new JsonArray(
                    Rlimit("RLIMIT_CORE", 0),
                    Rlimit("RLIMIT_NOFILE", 1024),
                    Rlimit("RLIMIT_FSIZE", diskBytes),
                    // Counted per user namespace; each sandbox has its own id range, so this is a per-sandbox backstop to pids.max.
                    Rlimit("RLIMIT_NPROC", l.Pids + 64),
                    Rlimit("RLIMIT_MEMLOCK", 65536),
                    Rlimit("RLIMIT_MSGQUEUE", 65536),
                    Rlimit("RLIMIT_SIGPENDING", 1024),
                    Rlimit("RLIMIT_RTPRIO", 0),
                    Rlimit("RLIMIT_NICE", 0),
                    Rlimit("RLIMIT_CPU", spec.CpuSeconds)),
                ["noNewPrivileges"] = true,
                ["oomScoreAdj"] = 1000,
            },
            ["root"] = new JsonObject { ["path"] = spec.RootfsPath, ["readonly"] = true },
            ["hostname"] = "sandbox",
            ["mounts"] = Mounts(spec, diskBytes, inodes),
            ["linux"] = new JsonObject
            {
                ["uidMappings"] = new JsonArray(IdMap(spec.HostIdBase)),
                ["gidMappings"] = new JsonArray(IdMap(spec.HostIdBase)),
                ["sysctl"] = new JsonObject
                {
                    // net.ipv4.ping_group_range "1 0" (no ICMP sockets) is set by NetworkNamespace: the sandbox's
                    // user namespace does not own the pre-made network namespace, so runc cannot write it.
                    ["kernel.shmmax"] = "67108864",
                    ["kernel.shmall"] = "16384",
                    ["kernel.msgmnb"] = "65536",
                },
                ["resources"] = new JsonObject
                {
                    ["devices"] = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }),
                    ["memory"] = new JsonObject { ["limit"] = memoryBytes, ["swap"] = memoryBytes },
                    ["cpu"] = new JsonObject { ["quota"] = (long)Math.Ceiling(l.Cpus * 100_000), ["period"] = 100_000 },
                    ["pids"] = new JsonObject { ["limit"] = l.Pids },
                    ["hugepageLimits"] = new JsonArray(),
                },
                ["cgroupsPath"] = spec.CgroupsPath,
                ["namespaces"] = new JsonArray(
                    Ns("pid"), Ns("ipc"), Ns("uts"), Ns("mount"), Ns("cgroup"), Ns("user"),
                    new JsonObject { ["type"] = "network", ["path"] = spec.NetnsPath }),
                ["maskedPaths"] = Strings(
                    "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                    "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats", "/proc/kallsyms",
                    "/proc/modules", "/sys/firmware", "/sys/devices/virtual/powercap", "/sys/kernel", "/sys/module"),
                ["readonlyPaths"] = Strings("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
                ["rootfsPropagation"] = "private",
                ["seccomp"] = seccomp.DeepClone(),
            },
        };
        if (unifiedCgroup)
        {
            // On cgroup v2 an OOM kills the whole sandbox, and no swap at all.
            config["linux"]!["resources"]!["unified"] = new JsonObject { ["memory.oom.group"] = "1", ["memory.swap.max"] = "0" };
        }

        return config;
    }

    private static JsonArray Mounts(SandboxSpec spec, long diskBytes, int inodes)
    {
        var size = (diskBytes / 1024).ToString(CultureInfo.InvariantCulture) + "k";
        var uid = SandboxUid.ToString(CultureInfo.InvariantCulture);
        return new JsonArray(
            Mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
            Mount("/dev", "tmpfs", "tmpfs", "nosuid", "noexec", "strictatime", "mode=755", "size=65536k"),
            Mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"),
            Mount("/dev/shm", "tmpfs", "shm", "nosuid", "nodev", "noexec", "mode=1777", "size=65536k"),
            Mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "nodev", "noexec"),
            // sysfs cannot be mounted from a user namespace that does not own the (pre-made) network namespace;
            // an empty read-only tmpfs exposes strictly less than a read-only sysfs would.
            Mount("/sys", "tmpfs", "tmpfs", "ro", "nosuid", "noexec", "nodev", "size=4k", "nr_inodes=16", "mode=555"),
            // tmpfs options are read in the sandbox's user namespace: uid/gid are the in-sandbox ids.
            Mount("/workspace", "tmpfs", "tmpfs", "nosuid", "nodev", $"size={size}", $"nr_inodes={inodes}", "mode=0700", $"uid={uid}", $"gid={uid}"),
            Mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", $"size={size}", $"nr_inodes={inodes}", "mode=1777"),
            Mount("/usr", "bind", "/usr", "rbind", "ro", "nosuid", "nodev"),
            Mount("/opt/cordon/cordon-init", "bind", spec.InitPath, "bind", "ro", "nosuid", "nodev"),
            Mount("/opt/cordon/runtimes", "bind", spec.RuntimesPath, "rbind", "ro", "nosuid", "nodev", "noexec"),
            Mount("/run/cordon", "bind", spec.AgentRunDir, "bind", "nosuid", "nodev", "noexec"));
    }

    private static JsonObject Mount(string destination, string type, string source, params string[] options) => new()
    {
        ["destination"] = destination,
        ["type"] = type,
        ["source"] = source,
        ["options"] = Strings(options),
    };

    private static JsonObject Rlimit(string type, long value) => new() { ["type"] = type, ["hard"] = value, ["soft"] = value };

    private static JsonObject Ns(string type) => new() { ["type"] = type };

    private static JsonObject IdMap(long hostBase) => new() { ["containerID"] = 0, ["hostID"] = hostBase, ["size"] = IdRangeSize };

    private static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);
}
