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
/// </summary>
internal static class RunscBundle
{
    private const int Enosys = 38;

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
    }
}
