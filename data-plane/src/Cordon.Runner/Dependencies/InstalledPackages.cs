using System.Text.Json;
using Cordon.Packages;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// What an installation actually put on disk, read from the packages' own metadata (<c>*.dist-info/METADATA</c>,
/// every <c>node_modules/**/package.json</c>): checked against the allowlist once more before the set is kept.
/// </summary>
internal static class InstalledPackages
{
    public const string PythonDirectory = "python";

    public const string NodeDirectory = "node_modules";

    public static IReadOnlyList<InstalledPackage> Scan(string ecosystem, string root) =>
        ecosystem == PackageNames.Python ? Python(Path.Combine(root, PythonDirectory)) : Node(Path.Combine(root, NodeDirectory));

    private static List<InstalledPackage> Python(string target)
    {
        var found = new List<InstalledPackage>();
        if (!Directory.Exists(target))
        {
            return found;
        }

        foreach (var distInfo in Directory.EnumerateDirectories(target, "*.dist-info"))
        {
            var metadata = Path.Combine(distInfo, "METADATA");
            string? name = null, version = null;
            foreach (var line in File.Exists(metadata) ? File.ReadLines(metadata) : [])
            {
                if (line.Length == 0)
                {
                    break; // the headers end; the description follows
                }

                name ??= Header(line, "Name");
                version ??= Header(line, "Version");
            }

            found.Add(new InstalledPackage(name ?? Path.GetFileName(distInfo), version ?? "unknown"));
        }

        return found;
    }

    private static List<InstalledPackage> Node(string modules)
    {
        var found = new List<InstalledPackage>();
        var pending = new Stack<string>();
        pending.Push(modules);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var entry in Directory.EnumerateDirectories(directory))
            {
                var name = Path.GetFileName(entry);
                if (name.StartsWith('.'))
                {
                    continue; // .bin, .package-lock.json's neighbours
                }

                if (name.StartsWith('@'))
                {
                    pending.Push(entry); // a scope: its packages are one level down
                    continue;
                }

                var manifest = Path.Combine(entry, "package.json");
                using (var document = File.Exists(manifest) ? JsonDocument.Parse(File.ReadAllBytes(manifest)) : null)
                {
                    var root = document?.RootElement;
                    found.Add(new InstalledPackage(
                        root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : name,
                        root is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty("version", out var ver) && ver.ValueKind == JsonValueKind.String ? ver.GetString()! : "unknown"));
                }

                pending.Push(Path.Combine(entry, NodeDirectory));
            }
        }

        return found;
    }

    private static string? Header(string line, string name) =>
        line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase) ? line[(name.Length + 1)..].Trim() : null;
}
