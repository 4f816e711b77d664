using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Sandboxes;
using Google.Protobuf;

namespace Cordon.Runner.Execution;

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

        var patterns = globs.Select(ToRegex).ToList();
        var listing = (AgentFileList)AgentRequestException.Check(await sandbox.Agent.CallAsync(new AgentListFiles(), null, cancellationToken));
        var artifacts = new List<Artifact>();
        var budget = maxBytes > 0 ? maxBytes : DefaultMaxBytes;
        foreach (var entry in listing.Entries.Where(e => !e.IsDirectory && patterns.Any(p => p.IsMatch(e.Path))).Take(MaxFiles))
        {
            if (entry.Size > budget)
            {
                continue;
            }

            var reply = await sandbox.Agent.CallAsync(new AgentReadFile { Path = entry.Path, MaxBytes = budget }, null, cancellationToken);
            if (reply is not AgentFileContent content)
            {
                continue; // gone or grown past the budget since the listing: skip rather than fail the job
            }

            budget -= content.Content.Length;
            artifacts.Add(new Artifact
            {
                Path = entry.Path,
                Content = ByteString.CopyFrom(content.Content),
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(content.Content)),
            });
        }

        return artifacts;
    }

    /// <summary><c>**</c> crosses directories, <c>*</c> and <c>?</c> stay within one.</summary>
    private static Regex ToRegex(string glob)
    {
        var pattern = Regex.Escape(glob.TrimStart('/'))
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex($"^{pattern}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
