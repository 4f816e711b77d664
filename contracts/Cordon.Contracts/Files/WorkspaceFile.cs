namespace Cordon.Contracts.Files;

/// <summary>An entry of a sandbox's workspace.</summary>
public sealed record WorkspaceFile
{
    /// <summary>Path relative to <c>/workspace</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Size in bytes (0 for directories).</summary>
    public required long Size { get; init; }

    /// <summary>True for a directory.</summary>
    public required bool IsDirectory { get; init; }

    /// <summary>Last modification time.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }
}
