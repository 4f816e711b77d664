using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Jobs;
using ModelContextProtocol.Protocol;

namespace Cordon.ControlPlane.Mcp;

/// <summary>Reads the images among a job's artifacts (a plot the program saved) to return them as image content.</summary>
internal static class ImageArtifacts
{
    // Enough for plots and screenshots; bigger files stay artifacts the agent can fetch over /v1.
    private const long MaxImageBytes = 2 * 1024 * 1024;
    private const int MaxImages = 4;

    private static readonly Dictionary<string, string> MimeTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
    };

    /// <summary>The image MIME type a path's extension names; null for anything that is not an image we return.</summary>
    public static string? MimeTypeOf(string path) => MimeTypes.GetValueOrDefault(Path.GetExtension(path));

    public static async Task<IReadOnlyList<ContentBlock>> ReadAsync(JobArtifacts artifacts, Job job, CancellationToken cancellationToken)
    {
        var images = new List<ContentBlock>();
        foreach (var artifact in job.Artifacts)
        {
            if (images.Count == MaxImages || artifact.Size > MaxImageBytes || MimeTypeOf(artifact.Path) is not { } mimeType)
            {
                continue;
            }

            var (content, _) = await artifacts.OpenAsync(job.Id, artifact.Path, cancellationToken);
            await using (content)
            {
                using var buffer = new MemoryStream();
                await content.CopyToAsync(buffer, cancellationToken);
                images.Add(ImageContentBlock.FromBytes(buffer.ToArray(), mimeType));
            }
        }

        return images;
    }
}
