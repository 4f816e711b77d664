using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Cordon.Bench;

/// <summary>
/// The bare-runc baseline's bundle: runc's own default spec (`runc spec`), a rootfs with the host's /usr bound
/// read-only, and the program as its process. No user namespace, seccomp or limits beyond runc's defaults.
/// </summary>
internal sealed class RuncBundle(string workDirectory)
{
    private string? _bundle;

    public string StateDirectory { get; } = Path.Combine(workDirectory, "runc-state");

    public string Prepare(IReadOnlyList<string> argv)
    {
        if (_bundle is not null)
        {
            return _bundle;
        }

        var bundle = Path.Combine(workDirectory, "runc-bundle");
        var rootfs = Path.Combine(bundle, "rootfs");
        Directory.CreateDirectory(StateDirectory);
        foreach (var dir in new[] { "usr", "proc", "dev", "sys", "tmp", "etc" })
        {
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        }

        foreach (var link in new[] { "bin", "lib", "lib64", "sbin" })
        {
            var path = Path.Combine(rootfs, link);
            if (!Path.Exists(path))
            {
                File.CreateSymbolicLink(path, $"usr/{link}");
            }
        }

        File.Copy("/etc/ld.so.cache", Path.Combine(rootfs, "etc", "ld.so.cache"), overwrite: true);
        File.Delete(Path.Combine(bundle, "config.json"));
        using (var spec = Process.Start("runc", ["spec", "--bundle", bundle]))
        {
            spec.WaitForExit();
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "config.json")))!;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray([.. argv.Select(a => JsonValue.Create(a))]);
        config["root"]!["path"] = rootfs;
        config["mounts"]!.AsArray().Add(new JsonObject
        {
            ["destination"] = "/usr",
            ["type"] = "bind",
            ["source"] = "/usr",
            ["options"] = new JsonArray("rbind", "ro", "nosuid", "nodev"),
        });
        File.WriteAllText(Path.Combine(bundle, "config.json"), config.ToJsonString());
        _bundle = bundle;
        return bundle;
    }
}
