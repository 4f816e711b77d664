namespace Cordon.Contracts.Jobs;

/// <summary>A file collected from the workspace after a job ran.</summary>
public sealed record ArtifactInfo
{
    /// <summary>Path relative to <c>/workspace</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public required string Sha256 { get; init; }
}
