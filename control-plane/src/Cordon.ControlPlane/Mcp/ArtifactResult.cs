using System.ComponentModel;

namespace Cordon.ControlPlane.Mcp;

/// <summary>A file a run left in its workspace and Cordon collected.</summary>
internal sealed record ArtifactResult
{
    [Description("Path relative to /workspace.")]
    public required string Path { get; init; }

    [Description("Size in bytes.")]
    public required long Size { get; init; }

    [Description("Lower-case hex SHA-256 of the content.")]
    public required string Sha256 { get; init; }
}
