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
/// </summary>
internal static class RunscBundle
{
    private static readonly HashSet<string> Recursive = new(StringComparer.Ordinal) { "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec" };

    public static async Task AdaptAsync(string bundleDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(bundleDirectory, "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))!.AsObject();
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

        foreach (var mount in mounts)
        {
            if (mount?["options"] is JsonArray options)
            {
                var kept = options.Select(o => o!.GetValue<string>()).Where(o => !Recursive.Contains(o)).ToList();
                mount["options"] = new JsonArray([.. kept.Select(o => JsonValue.Create(o))]);
            }
        }

        // Rewritten in place: the file keeps the 0600 it was created with.
        await File.WriteAllTextAsync(path, config.ToJsonString(), cancellationToken);
    }
}
