using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Files;

/// <summary>
/// Validates a request path lexically: relative, no <c>..</c>, no NUL, no empty segments. The kernel
/// (<c>RESOLVE_BENEATH</c>) then refuses whatever symbolic links would still lead out.
/// </summary>
internal static class WorkspacePath
{
    /// <summary>The path's segments without <c>.</c>; empty for the workspace root.</summary>
    public static string[] Parse(string? path)
    {
        path ??= "";
        if (path.StartsWith('/'))
        {
            throw Invalid(path, "is absolute");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(path, "contains NUL");
        }

        var trimmed = path.EndsWith('/') ? path[..^1] : path;
        if (trimmed.Length == 0)
        {
            return path.Length == 0 ? [] : throw Invalid(path, "is not a path");
        }

        var segments = trimmed.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                throw Invalid(path, "has an empty segment");
            }

            if (segment == "..")
            {
                throw Invalid(path, "has a '..' segment");
            }
        }

        return [.. segments.Where(s => s != ".")];
    }

    private static WorkspaceException Invalid(string path, string why) =>
        new(AgentErrorCodes.InvalidPath, $"'{path}' {why}; paths are relative to the workspace.");
}
