using System.Text;

namespace Cordon.Encryption;

/// <summary>
/// What an artifact's chunks are bound to besides its data key: its tenant, job and path, so a stored object copied
/// under another name or job does not decrypt there (a session file: its sandbox and path). Tenant, job and sandbox
/// ids and workspace paths hold no NUL.
/// </summary>
internal static class ArtifactContext
{
    public static byte[] For(string tenant, string jobId, string path) =>
        Encoding.UTF8.GetBytes($"cordon-artifact-v1\0{tenant}\0{jobId}\0{path}");

    /// <summary>A file read out of a session's sandbox, bound to the sandbox and the path asked for.</summary>
    public static byte[] ForSessionFile(string sandboxId, string path) =>
        Encoding.UTF8.GetBytes($"cordon-session-file-v1\0{sandboxId}\0{path}");
}
