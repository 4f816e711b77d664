using System.Text.Json.Nodes;

namespace Cordon.Runner.Oci;

/// <summary>The seccomp profile, kept as a reviewable data file (<c>deploy/seccomp/cordon-default.json</c>).</summary>
internal static class SeccompProfile
{
    public static JsonNode Load(string? path)
    {
        using var stream = path is null
            ? typeof(SeccompProfile).Assembly.GetManifestResourceStream("cordon-default.json")
                ?? throw new InvalidOperationException("The embedded seccomp profile is missing.")
            : File.OpenRead(path);
        var node = JsonNode.Parse(stream) ?? throw new InvalidOperationException("The seccomp profile is empty.");
        // A description for reviewers, not part of the OCI schema.
        node.AsObject().Remove("comment");
        return node;
    }
}
