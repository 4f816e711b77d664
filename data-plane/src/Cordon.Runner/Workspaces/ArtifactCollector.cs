using System.Security.Cryptography;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Execution;
using Cordon.Runner.Sandboxes;
using Google.Protobuf;

namespace Cordon.Runner.Workspaces;

/// <summary>Collects the workspace files matching a job's globs, read through the agent (never by host path).</summary>
internal static class ArtifactCollector
{
    public const long DefaultMaxBytes = 32L * 1024 * 1024;
    private const int MaxFiles = 100;

    public static async Task<IReadOnlyList<Artifact>> CollectAsync(Sandbox sandbox, IReadOnlyList<string> globs, long maxBytes, CancellationToken cancellationToken)
    {
        if (globs.Count == 0)
        {
            return [];
        }

        var patterns = globs.Select(g => new WorkspaceGlob(g)).ToList();
        var listing = await SandboxWorkspace.ListAsync(sandbox, null, cancellationToken);
        var artifacts = new List<Artifact>();
        var budget = maxBytes > 0 ? maxBytes : DefaultMaxBytes;
        foreach (var entry in listing.Where(e => !e.IsDirectory && patterns.Any(p => p.IsMatch(e.Path))).Take(MaxFiles))
        {
            if (entry.Size > budget)
            {
                continue;
            }

            byte[] content;
            try
            {
                content = await SandboxWorkspace.ReadAsync(sandbox, entry.Path, budget, cancellationToken);
            }
            catch (AgentRequestException)
            {
                continue; // gone, grown past the budget, or not a regular file (a FIFO): skip rather than fail the job
            }

            budget -= content.Length;
            artifacts.Add(new Artifact
            {
                Path = entry.Path,
                Content = ByteString.CopyFrom(content),
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            });
        }

        return artifacts;
    }
}
