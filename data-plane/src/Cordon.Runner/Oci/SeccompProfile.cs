using System.Text.Json.Nodes;

namespace Cordon.Runner.Oci;

/// <summary>
/// The seccomp profile (<c>deploy/seccomp/cordon-default.json</c>, an OCI <c>linux.seccomp</c> object): a
/// default-deny allowlist derived from moby's profile, minus what SECURITY.md denies.
/// </summary>
internal sealed class SeccompProfile(JsonNode profile)
{
    public static SeccompProfile Load(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
        if (node["defaultAction"]?.GetValue<string>() != "SCMP_ACT_ERRNO")
        {
            throw new InvalidDataException($"{path}: the default action must be SCMP_ACT_ERRNO (deny by default)");
        }

        return new SeccompProfile(node);
    }

    public JsonNode Clone() => profile.DeepClone();
}
