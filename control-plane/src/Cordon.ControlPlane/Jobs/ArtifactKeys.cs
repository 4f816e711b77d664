namespace Cordon.ControlPlane.Jobs;

/// <summary>Object-store keys of artifacts: <c>&lt;tenant&gt;/&lt;job&gt;/&lt;path&gt;</c>.</summary>
internal static class ArtifactKeys
{
    public static string For(string tenant, string jobId, string path) => $"{tenant}/{jobId}/{path}";
}
