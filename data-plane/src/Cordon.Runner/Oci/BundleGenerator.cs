using System.Globalization;
using System.Text.Json.Nodes;
using Cordon.Runner.Dependencies;
using Cordon.Runner.Egress;

namespace Cordon.Runner.Oci;

/// <summary>
/// Writes a sandbox's OCI <c>config.json</c> with every hardening point of SECURITY.md §2: non-root uid in a
/// user namespace with a private host range, all namespaces, no capabilities, no new privileges, seccomp,
/// masked and read-only kernel paths, read-only root, nosuid/nodev mounts, cgroup and rlimit limits.
/// </summary>
internal sealed class BundleGenerator(SeccompProfile seccomp, CgroupLayout? cgroupLayout = null)
{
    private readonly CgroupLayout _cgroups = cgroupLayout ?? CgroupLayout.Detect();

    private static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats", "/proc/kallsyms", "/proc/modules",
        "/sys/firmware", "/sys/devices/virtual/powercap", "/sys/kernel", "/sys/module",
    ];

    /// <summary>Tasks cordon-init holds for its life: runtime threads, reaper, blocking workers.</summary>
    public const int AgentTasks = 40;

    private static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public async Task WriteAsync(string bundleDirectory, SandboxSpec spec, CancellationToken cancellationToken)
    {
        var config = Build(spec);
        // Created 0600: the bundle is for runc (root) only.
        await using var file = new FileStream(Path.Combine(bundleDirectory, "config.json"), new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            Options = FileOptions.Asynchronous,
        });
        await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()), cancellationToken);
    }

    public JsonObject Build(SandboxSpec spec)
    {
        var limits = spec.Limits;
        var memoryBytes = (long)limits.MemoryMb * 1024 * 1024;
        var diskBytes = (long)limits.DiskMb * 1024 * 1024;
        return new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = new JsonObject
            {
                ["terminal"] = false,
                // The agent runs as another uid than the job (which it cannot signal, re-limit or renice) and keeps
                // only what it needs in the sandbox's user namespace to start and stop the job's programs
                // (SandboxSpec.AgentCapabilities); every program gets the job uid with no capabilities via cordon-spawn.
                ["user"] = new JsonObject { ["uid"] = SandboxSpec.AgentUid, ["gid"] = SandboxSpec.AgentUid, ["umask"] = 18, ["additionalGids"] = new JsonArray() },
                ["args"] = InitArgs(spec),
                ["env"] = new JsonArray("PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "HOME=/workspace"),
                ["cwd"] = "/",
                ["capabilities"] = new JsonObject
                {
                    ["bounding"] = Capabilities(),
                    ["effective"] = Capabilities(),
                    ["inheritable"] = new JsonArray(),
                    ["permitted"] = Capabilities(),
                    ["ambient"] = new JsonArray(),
                },
                ["rlimits"] = new JsonArray(
                    Rlimit("RLIMIT_CORE", 0),
                    Rlimit("RLIMIT_NOFILE", 1024),
                    Rlimit("RLIMIT_FSIZE", diskBytes),
                    Rlimit("RLIMIT_NPROC", limits.Pids * 2L),
                    Rlimit("RLIMIT_MEMLOCK", 64 * 1024),
                    Rlimit("RLIMIT_MSGQUEUE", 819_200),
                    Rlimit("RLIMIT_SIGPENDING", 1024),
                    Rlimit("RLIMIT_RTPRIO", 0),
                    Rlimit("RLIMIT_NICE", 0),
                    Rlimit("RLIMIT_CPU", spec.MaxCpuSeconds)),
                ["noNewPrivileges"] = true,
                ["oomScoreAdj"] = 0, // the agent; every program it starts gets 1000 (OomScore in cordon-init)
            },
            ["root"] = new JsonObject { ["path"] = spec.RootfsPath, ["readonly"] = true },
            ["hostname"] = "sandbox",
            ["mounts"] = Mounts(spec, diskBytes, limits.DiskMb),
            ["linux"] = new JsonObject
            {
                ["namespaces"] = new JsonArray(Ns("pid"), Ns("network"), Ns("mount"), Ns("ipc"), Ns("uts"), Ns("cgroup"), Ns("user")),
                ["uidMappings"] = new JsonArray(IdMap(spec.HostIdBase)),
                ["gidMappings"] = new JsonArray(IdMap(spec.HostIdBase)),
                ["cgroupsPath"] = spec.CgroupsPath,
                ["resources"] = new JsonObject
                {
                    ["devices"] = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }),
                    ["memory"] = new JsonObject { ["limit"] = memoryBytes, ["swap"] = memoryBytes },
                    ["cpu"] = new JsonObject { ["quota"] = (long)(limits.Cpus * 100_000), ["period"] = 100_000 },
                    // The agent's own threads (all made at its start) come on top of what the job may use.
                    ["pids"] = new JsonObject { ["limit"] = limits.Pids + AgentTasks },
                    // No huge pages at all: they are not charged to the memory limit.
                    ["hugepageLimits"] = new JsonArray([.. _cgroups.HugePageSizes.Select(size => new JsonObject { ["pageSize"] = size, ["limit"] = 0 })]),
                },
                ["sysctl"] = new JsonObject
                {
                    ["net.ipv4.ping_group_range"] = "1 0",
                    ["kernel.shmmax"] = (64L * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
                    ["kernel.shmall"] = (16L * 1024).ToString(CultureInfo.InvariantCulture),
                    ["kernel.msgmnb"] = "65536",
                },
                ["maskedPaths"] = new JsonArray([.. MaskedPaths.Select(p => JsonValue.Create(p))]),
                ["readonlyPaths"] = new JsonArray([.. ReadonlyPaths.Select(p => JsonValue.Create(p))]),
                ["rootfsPropagation"] = "private",
                ["seccomp"] = seccomp.Clone(),
            },
        };
    }

    private static JsonArray InitArgs(SandboxSpec spec)
    {
        var args = new JsonArray(
            SandboxSpec.InitInSandbox, "--control-fd", "0", "--job-uid", Id(SandboxSpec.SandboxUid), "--job-gid", Id(SandboxSpec.SandboxUid),
            "--spawn-helper", SandboxSpec.SpawnHelperInSandbox);
        if (spec.EgressDirectory is not null)
        {
            args.Add("--egress-socket");
            args.Add(SandboxEgress.SocketInSandbox);
            args.Add("--egress-port");
            args.Add(Id(SandboxEgress.PortInSandbox));
        }

        return args;
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static JsonArray Capabilities() => new([.. SandboxSpec.AgentCapabilities.Select(c => JsonValue.Create(c))]);

    private JsonArray Mounts(SandboxSpec spec, long diskBytes, int diskMb)
    {
        var mounts = new JsonArray(
            Mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
            // The runner-made /dev of the root filesystem (DevNodes), read-only: runc's own /dev would be a
            // writable tmpfs with the host's device nodes bound in rw, without nosuid or noexec. Writes to a
            // device node are allowed on a read-only mount; runc's /proc masks bind this /dev/null.
            Mount("/dev", "bind", Path.Combine(spec.RootfsPath, "dev"), "bind", "ro", "nosuid", "noexec"),
            Mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"),
            Mount("/dev/shm", "tmpfs", "shm", "nosuid", "nodev", "noexec", "mode=1777", "size=65536k"),
            Mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "nodev", "noexec"),
            Mount("/sys", "sysfs", "sysfs", "ro", "nosuid", "noexec", "nodev"));
        foreach (var mount in CgroupMounts(spec))
        {
            mounts.Add(mount);
        }

        // Recursive flags (mount_setattr): a plain ro/nosuid/nodev on an rbind holds for its top mount only.
        mounts.Add(Mount("/usr", "bind", spec.HostUsr, "rbind", "ro", "nosuid", "nodev", "rro", "rnosuid", "rnodev"));
        mounts.Add(Mount(SandboxSpec.InitInSandbox, "bind", spec.InitPath, "bind", "ro", "nosuid", "nodev"));
        mounts.Add(Mount(SandboxSpec.SpawnHelperInSandbox, "bind", spec.SpawnHelperPath, "bind", "ro", "nosuid", "nodev"));
        mounts.Add(Mount("/opt/cordon/runtimes", "bind", spec.RuntimesPath, "rbind", "ro", "nosuid", "nodev", "noexec", "rro", "rnosuid", "rnodev", "rnoexec"));
        mounts.Add(Mount("/workspace", "tmpfs", "tmpfs", "nosuid", "nodev", $"size={diskBytes}", $"nr_inodes={Math.Max(1024, diskMb * 64)}", "mode=0700", $"uid={SandboxSpec.SandboxUid}", $"gid={SandboxSpec.SandboxUid}"));
        mounts.Add(Mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", $"size={diskBytes}", $"nr_inodes={Math.Max(1024, diskMb * 64)}", "mode=1777"));
        // File secrets (at most 64 of 64 KiB): memory only, the job's, sealed 0500 by the agent once written.
        mounts.Add(Mount(SandboxSpec.SecretsInSandbox, "tmpfs", "tmpfs", "nosuid", "nodev", "noexec", "size=8m", "nr_inodes=128", "mode=0700", $"uid={SandboxSpec.SandboxUid}", $"gid={SandboxSpec.SandboxUid}"));
        if (spec.EgressDirectory is { } egress)
        {
            // The proxy's socket and nothing else; connecting needs no write access to the mount.
            mounts.Add(Mount(SandboxEgress.DirectoryInSandbox, "bind", egress, "bind", "ro", "nosuid", "nodev", "noexec"));
        }

        if (spec.Packages is { } packages)
        {
            // Installed packages: read-only for a job (native extensions need exec); writable only while installing.
            mounts.Add(Mount(PackageMount.InSandbox, "bind", packages.HostDirectory, "bind", packages.Writable ? "rw" : "ro", "nosuid", "nodev"));
        }

        if (spec.TrustDirectory is { } trust)
        {
            // The system CAs and the runner's egress CA: certificates only, read-only.
            mounts.Add(Mount(EgressTrustFiles.DirectoryInSandbox, "bind", trust, "bind", "ro", "nosuid", "nodev", "noexec"));
        }

        return mounts;
    }

    /// <summary>
    /// The sandbox's own cgroup, read-only, so language runtimes size heaps and threads to its limits. cgroup v2:
    /// runc mounts the namespaced tree with the flags given. v1: runc would put the hierarchies on a tmpfs it
    /// leaves writable, so the bundle mounts that tmpfs itself (runc remounts a read-only tmpfs at the end) and
    /// binds each controller's directory of this sandbox read-only on it.
    /// </summary>
    private IEnumerable<JsonObject> CgroupMounts(SandboxSpec spec)
    {
        if (_cgroups.Unified)
        {
            yield return Mount("/sys/fs/cgroup", "cgroup", "cgroup", "ro", "nosuid", "noexec", "nodev", "relatime");
            yield break;
        }

        yield return Mount("/sys/fs/cgroup", "tmpfs", "tmpfs", "ro", "nosuid", "noexec", "nodev", "mode=755", "size=4k", "nr_inodes=16");
        foreach (var controller in _cgroups.V1Controllers)
        {
            yield return Mount($"/sys/fs/cgroup/{controller}", "bind", $"/sys/fs/cgroup/{controller}{spec.CgroupsPath}", "bind", "ro", "nosuid", "noexec", "nodev");
        }
    }

    private static JsonObject Rlimit(string type, long value) => new() { ["type"] = type, ["hard"] = value, ["soft"] = value };

    private static JsonObject Ns(string type) => new() { ["type"] = type };

    private static JsonObject IdMap(int hostBase) => new() { ["containerID"] = 0, ["hostID"] = hostBase, ["size"] = SandboxSpec.IdRangeSize };

    private static JsonObject Mount(string destination, string type, string source, params string[] options) => new()
    {
        ["destination"] = destination,
        ["type"] = type,
        ["source"] = source,
        ["options"] = new JsonArray([.. options.Select(o => JsonValue.Create(o))]),
    };
}
