using System.ComponentModel;

namespace Cordon.ControlPlane.Mcp;

/// <summary>A file of a <c>run_code</c> call, written to /workspace before the program runs.</summary>
internal sealed record FileInput
{
    [Description("Path relative to /workspace, e.g. 'main.py' or 'src/util.py'; no '..' and no absolute paths.")]
    public required string Path { get; init; }

    [Description("The file's content, as text or base64 (see encoding).")]
    public required string Content { get; init; }

    [Description("'utf8' (default) or 'base64' for binary files.")]
    public string? Encoding { get; init; }
}
