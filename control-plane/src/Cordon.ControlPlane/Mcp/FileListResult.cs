using System.ComponentModel;
using Cordon.Contracts.Files;

namespace Cordon.ControlPlane.Mcp;

/// <summary>The structured result of <c>list_files</c>.</summary>
internal sealed record FileListResult
{
    [Description("The directory listed, relative to /workspace ('' for /workspace itself).")]
    public required string Path { get; init; }

    [Description("Its entries: path (relative to /workspace), size in bytes, isDirectory, modifiedAt.")]
    public required IReadOnlyList<WorkspaceFile> Entries { get; init; }
}
