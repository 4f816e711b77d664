using System.Text.Json.Nodes;

namespace Cordon.Runner.Oci;

/// <summary>
/// The one difference between a runc and a runsc bundle: this runsc (release 2022-12-19) refuses the recursive
/// mount options (<c>rro</c>, <c>rnosuid</c>, <c>rnodev</c>, <c>rnoexec</c>: "unknown mount option") that runc
/// needs for rbinds. They are dropped for runsc, which loses nothing: the Sentry serves a bind through its gofer as
/// one mount of its own VFS, host submounts are not carried in, and the plain <c>ro</c>/<c>nosuid</c>/<c>nodev</c>
/// next to them apply to all of it. And on cgroup v1 the bundle binds the host's per-sandbox controller
/// directories on a read-only tmpfs at <c>/sys/fs/cgroup</c>, which runsc's gofer cannot build ("mkdir
/// /proc/root/sys/fs: permission denied"): under runsc that is the Sentry's own cgroupfs, read-only, instead
/// (the host cgroup still carries every limit, set by runsc from <c>linux.resources</c>).
/// And the seccomp profile, which runsc applies inside the Sentry with <c>--oci-seccomp</c>: this release ignores
/// <c>errnoRet</c> (every <c>SCMP_ACT_ERRNO</c> answers EPERM), so the rules that must answer ENOSYS become
/// <c>SCMP_ACT_TRACE</c> (<see cref="AdaptSeccomp"/>).
/// And <c>/dev</c>: the Sentry refuses every write on a read-only mount, device nodes included (Linux allows
/// writing a device on one), so the runner's read-only <c>/dev</c> bind would leave <c>/dev/null</c> unwritable. Under
/// runsc <c>/dev</c> is the Sentry's own device tmpfs instead: its nodes (null, zero, full, random, urandom, tty, ptmx)
/// are the Sentry's implementations, never a host device, and the directory is root's 0755, so a job creates nothing
/// there (EACCES). And the task limit (<see cref="AdaptTaskLimit"/>).
/// </summary>
internal static class RunscBundle
{
    private const int Enosys = 38;
    private const long AfInet = 2;
    private const long AfInet6 = 10;
    private const long IpprotoIcmp = 1;
    private const long IpprotoIcmpv6 = 58;
    private const long SIfmt = 0xF000;

    /// <summary>Calls allowed unconditionally for runc that the Sentry needs narrowed (<see cref="NarrowForTheSentry"/>).</summary>
    private static readonly string[] Narrowed = ["mknod", "mknodat", "setpriority", "sched_setaffinity"];

    /// <summary>
    /// Host tasks the ptrace platform spends per sandbox process, with room: measured here, 40 sleeping processes
    /// held 320–400 host tasks (a stub process with a stub thread per Sentry thread that has traced it).
    /// </summary>
    internal const long HostTasksPerTask = 12;

    /// <summary>The Sentry's and gofer's own host threads (Go runtime, gofer servers) and the agent's, with room.</summary>
    internal const long SentryTasks = 512;

    /// <summary>(Linux name, this Sentry's name): 270 is "pselect" in its table; glibc's select() calls it.</summary>
    private static readonly (string Linux, string Sentry)[] SentryNames = [("pselect6", "pselect")];

    private static readonly HashSet<string> Recursive = new(StringComparer.Ordinal) { "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec" };

    public static async Task AdaptAsync(string bundleDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(bundleDirectory, "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))!.AsObject();
        Adapt(config);

        // Rewritten in place: the file keeps the 0600 it was created with.
        await File.WriteAllTextAsync(path, config.ToJsonString(), cancellationToken);
    }

    /// <summary>The adaptation itself, on a parsed <c>config.json</c>.</summary>
    public static void Adapt(JsonObject config)
    {
        var mounts = config["mounts"]!.AsArray();
        if (mounts.OfType<JsonObject>().FirstOrDefault(m => m["destination"]?.GetValue<string>() == "/dev") is { } dev)
        {
            mounts[mounts.IndexOf(dev)] = new JsonObject
            {
                ["destination"] = "/dev",
                ["type"] = "tmpfs",
                ["source"] = "tmpfs",
                ["options"] = new JsonArray("nosuid", "noexec", "mode=0755"),
            };
        }

        AdaptTaskLimit(config);
        var cgroup = mounts.Select((m, i) => (m, i)).Where(x => x.m?["destination"]?.GetValue<string>().StartsWith("/sys/fs/cgroup", StringComparison.Ordinal) == true).ToList();
        if (cgroup.Count > 0)
        {
            var at = cgroup[0].i;
            foreach (var (_, index) in Enumerable.Reverse(cgroup))
            {
                mounts.RemoveAt(index);
            }

            mounts.Insert(at, new JsonObject
            {
                ["destination"] = "/sys/fs/cgroup",
                ["type"] = "cgroup",
                ["source"] = "cgroup",
                ["options"] = new JsonArray("ro", "nosuid", "noexec", "nodev"),
            });
        }

        if (config["linux"]?["seccomp"] is JsonObject seccomp)
        {
            AdaptSeccomp(seccomp);
        }

        foreach (var mount in mounts)
        {
            if (mount?["options"] is JsonArray options)
            {
                var kept = options.Select(o => o!.GetValue<string>()).Where(o => !Recursive.Contains(o)).ToList();
                mount["options"] = new JsonArray([.. kept.Select(o => JsonValue.Create(o))]);
            }
        }
    }

    /// <summary>
    /// The job's task limit. Under runc the pids cgroup counts the job's tasks (plus the agent's). Under runsc every
    /// task of the sandbox costs host tasks of the Sentry (on the ptrace platform a stub process or thread per task,
    /// and the tracing threads), so the cgroup at the job's limit kills the Sentry itself ("error initializing first
    /// thread: resource temporarily unavailable") before the job sees EAGAIN. The Sentry enforces
    /// <c>RLIMIT_NPROC</c> for the job's uid (the agent is another uid): that becomes the job's limit, and the host
    /// cgroup a backstop sized for the Sentry's cost per task, which still bounds what one sandbox takes of the host.
    /// </summary>
    public static void AdaptTaskLimit(JsonObject config)
    {
        if (config["linux"]?["resources"]?["pids"] is not JsonObject pids || Number(pids["limit"]) is not { } limit
            || config["process"]?["rlimits"] is not JsonArray rlimits
            || rlimits.OfType<JsonObject>().FirstOrDefault(r => r["type"]?.GetValue<string>() == "RLIMIT_NPROC") is not { } nproc)
        {
            return;
        }

        var jobTasks = Math.Max(1, limit - BundleGenerator.AgentTasks);
        nproc["soft"] = jobTasks;
        nproc["hard"] = jobTasks;
        pids["limit"] = (jobTasks * HostTasksPerTask) + SentryTasks;
    }

    /// <summary>
    /// Rules that deny with ENOSYS (<c>clone3</c>: glibc, and with it every runtime's thread creation, falls back
    /// to <c>clone</c> on ENOSYS only — on EPERM cordon-init cannot start a thread and exits at once) are turned into
    /// <c>SCMP_ACT_TRACE</c>, which without a tracer answers ENOSYS without running the call, in the Sentry as in
    /// Linux. No tracer can exist: the same profile denies <c>ptrace</c> to every process of the sandbox. The other
    /// errnos (EAFNOSUPPORT for the refused socket families) cannot be expressed in this release and answer EPERM:
    /// refused all the same. And the Sentry knows some syscalls by another name than Linux (runsc skips a name its
    /// table lacks, so the call would meet the default action): those get the Sentry's name too.
    /// </summary>
    public static void AdaptSeccomp(JsonObject seccomp)
    {
        if (seccomp["syscalls"] is not JsonArray rules)
        {
            return;
        }

        foreach (var rule in rules.OfType<JsonObject>())
        {
            if (rule["action"]?.GetValue<string>() == "SCMP_ACT_ERRNO" && rule["errnoRet"]?.GetValue<int>() == Enosys)
            {
                rule["action"] = "SCMP_ACT_TRACE";
                rule.Remove("errnoRet");
            }

            if (rule["names"] is JsonArray names)
            {
                foreach (var (linux, sentry) in SentryNames)
                {
                    if (names.Any(n => n?.GetValue<string>() == linux) && !names.Any(n => n?.GetValue<string>() == sentry))
                    {
                        names.Add(sentry);
                    }
                }
            }
        }

        NarrowForTheSentry(rules);
    }

    /// <summary>
    /// Checks Linux makes in the kernel and this Sentry does not, made by the filter instead (each call outside the
    /// narrowed allow rules meets the default EPERM): ICMP datagram sockets, which Linux refuses a job by
    /// <c>net.ipv4.ping_group_range</c>; device nodes, which need <c>CAP_MKNOD</c>; and renicing or re-pinning the
    /// agent (PID 1), which belongs to another uid.
    /// </summary>
    private static void NarrowForTheSentry(JsonArray rules)
    {
        foreach (var rule in rules.OfType<JsonObject>())
        {
            if (rule["action"]?.GetValue<string>() != "SCMP_ACT_ALLOW" || rule["names"] is not JsonArray names)
            {
                continue;
            }

            if (rule["args"] is JsonArray args && names.Any(n => n?.GetValue<string>() == "socket")
                && args.Count == 1 && Number(args[0]?["index"]) == 0 && args[0]?["op"]?.GetValue<string>() == "SCMP_CMP_EQ"
                && Number(args[0]?["value"]) is AfInet or AfInet6)
            {
                args.Add(Arg(2, Number(args[0]?["value"]) == AfInet ? IpprotoIcmp : IpprotoIcmpv6, "SCMP_CMP_NE"));
            }
            else if (rule["args"] is null)
            {
                foreach (var name in Narrowed)
                {
                    if (names.FirstOrDefault(n => n?.GetValue<string>() == name) is { } node)
                    {
                        names.Remove(node);
                    }
                }
            }
        }

        // mknod(path, mode, dev) and mknodat(dirfd, path, mode, dev): regular files, FIFOs and sockets only.
        foreach (var type in new long[] { 0, 0x8000 /* S_IFREG */, 0x1000 /* S_IFIFO */, 0xC000 /* S_IFSOCK */ })
        {
            rules.Add(Allow("mknod", Arg(1, SIfmt, "SCMP_CMP_MASKED_EQ", type)));
            rules.Add(Allow("mknodat", Arg(2, SIfmt, "SCMP_CMP_MASKED_EQ", type)));
        }

        // setpriority(which, who, prio) and sched_setaffinity(pid, ...): any target but the agent.
        rules.Add(Allow("setpriority", Arg(1, 1, "SCMP_CMP_NE")));
        rules.Add(Allow("sched_setaffinity", Arg(0, 1, "SCMP_CMP_NE")));
    }

    private static long? Number(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<long>(out var wide) ? wide : value.TryGetValue<int>(out var narrow) ? narrow : null
        : null;

    private static JsonObject Allow(string name, JsonObject arg) =>
        new() { ["names"] = new JsonArray(name), ["action"] = "SCMP_ACT_ALLOW", ["args"] = new JsonArray(arg) };

    private static JsonObject Arg(int index, long value, string op, long? valueTwo = null)
    {
        var arg = new JsonObject { ["index"] = index, ["value"] = value, ["op"] = op };
        if (valueTwo is { } two)
        {
            arg["valueTwo"] = two;
        }

        return arg;
    }
}
