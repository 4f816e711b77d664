using System.Text;

namespace Cordon.Init.Files;

/// <summary>Lexical checks of a workspace-relative path: no absolute path, no <c>..</c>, no NUL, no name too long.</summary>
internal static class WorkspacePath
{
    /// <summary>NAME_MAX and PATH_MAX of Linux file systems.</summary>
    public const int MaxNameBytes = 255;
    public const int MaxPathBytes = 4096;
    private const int DisplayLength = 120;

    /// <summary>The path's components, or an exception naming what is wrong. Empty input means the workspace itself.</summary>
    public static string[] Split(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new WorkspacePathException("path contains a NUL character");
        }

        if (path.StartsWith('/'))
        {
            throw new WorkspacePathException($"'{Display(path)}' is absolute; paths are relative to /workspace");
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Any(p => p == ".."))
        {
            throw new WorkspacePathException($"'{Display(path)}' contains '..'");
        }

        if (Encoding.UTF8.GetByteCount(path) >= MaxPathBytes || parts.Any(p => Encoding.UTF8.GetByteCount(p) > MaxNameBytes))
        {
            throw AgentFileException.NameTooLong(path);
        }

        return parts;
    }

    /// <summary>The path as an error message quotes it: long ones cut, so a reply never echoes kilobytes back.</summary>
    public static string Display(string path) => path.Length <= DisplayLength ? path : path[..DisplayLength] + "…";
}
