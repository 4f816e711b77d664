namespace Cordon.Init.Files;

/// <summary>Lexical checks of a workspace-relative path: no absolute path, no <c>..</c>, no NUL, no empty name.</summary>
internal static class WorkspacePath
{
    /// <summary>The path's components, or an exception naming what is wrong. Empty input means the workspace itself.</summary>
    public static string[] Split(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new WorkspacePathException("path contains a NUL character");
        }

        if (path.StartsWith('/'))
        {
            throw new WorkspacePathException($"'{path}' is absolute; paths are relative to /workspace");
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Any(p => p == ".."))
        {
            throw new WorkspacePathException($"'{path}' contains '..'");
        }

        return parts;
    }
}
