using System.Text.Json.Nodes;
using Cordon.Packages;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// One package's registry document, filtered for an installation: only the versions the allowlist admits, each
/// tarball linked through the mirror, and the dist-tags pointing only at what is left (<c>latest</c> at the
/// highest admitted version), so npm resolves within the allowlist and downloads nothing else.
/// </summary>
internal static class NpmPackument
{
    public static JsonObject Filter(JsonObject document, string name, PackageAllowlist allowlist, Uri registry, RegistryHosts hosts, Func<Uri, string, string> link, out int dropped)
    {
        dropped = 0;
        var kept = new JsonObject();
        var versions = new List<SemVersion>();
        if (document["versions"] is JsonObject all)
        {
            foreach (var (version, node) in all)
            {
                if (node is not JsonObject manifest
                    || !string.Equals(manifest["name"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase)
                    || !allowlist.Allows(name, version)
                    || manifest["dist"] is not JsonObject dist
                    || dist["tarball"]?.GetValue<string>() is not { } tarball
                    || !Uri.TryCreate(registry, tarball, out var target)
                    || !hosts.Admits(target))
                {
                    dropped++;
                    continue;
                }

                var copy = (JsonObject)manifest.DeepClone();
                // Lifecycle scripts never run (npm runs with --ignore-scripts); the link is the only way to the file.
                copy["dist"]!["tarball"] = link(target, Path.GetFileName(target.AbsolutePath));
                kept[version] = copy;
                if (SemVersion.TryParse(version, out var parsed))
                {
                    versions.Add(parsed);
                }
            }
        }

        var tags = new JsonObject();
        if (document["dist-tags"] is JsonObject upstreamTags)
        {
            foreach (var (tag, value) in upstreamTags)
            {
                if (value?.GetValue<string>() is { } version && kept.ContainsKey(version))
                {
                    tags[tag] = version;
                }
            }
        }

        if (!tags.ContainsKey("latest") && versions.Where(v => !v.IsPrerelease).DefaultIfEmpty().Max() is { } highest)
        {
            tags["latest"] = highest.ToString();
        }

        return new JsonObject
        {
            ["name"] = name,
            ["dist-tags"] = tags,
            ["versions"] = kept,
        };
    }
}
