using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Requests;

/// <summary>
/// Paths inside <c>/workspace</c> as clients send them: relative, '/'-separated, no <c>.</c> or <c>..</c> segments.
/// The runner checks again (and resolves symlinks beneath the workspace); this refuses the obvious early with 400.
/// </summary>
internal static class WorkspacePaths
{
    public const int MaxLength = 1024;

    /// <summary>Null when <paramref name="path"/> is acceptable, otherwise why not.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "The path is empty.";
        }

        if (path.Length > MaxLength)
        {
            return $"The path is longer than {MaxLength} characters.";
        }

        if (path.StartsWith('/') || path.StartsWith('~') || (path.Length >= 2 && path[1] == ':'))
        {
            return "Absolute paths are not allowed; give a path relative to /workspace.";
        }

        if (path.Contains('\\', StringComparison.Ordinal) || path.Any(char.IsControl))
        {
            return "The path contains a backslash or a control character.";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is ".." or ".")
            {
                return "'.' and '..' segments are not allowed; the path must stay inside /workspace.";
            }

            if (segment.Length == 0)
            {
                return "The path has an empty segment ('//' or a trailing '/').";
            }
        }

        return null;
    }

    public static bool IsValid(string? path) => Problem(path) is null;

    /// <summary>Artifact globs follow the same rules; '*', '?' and '**' are allowed within segments.</summary>
    public static string? GlobProblem(string? glob) => Problem(glob);

    /// <summary>
    /// A path taken from a catch-all route value, unescaped and checked; throws a 400 naming <c>path</c>. The route
    /// keeps escaped slashes (<c>..%2F..%2Fetc</c>), so what is checked is what the runner would see.
    /// </summary>
    public static string FromRoute(string path)
    {
        var unescaped = Uri.UnescapeDataString(path);
        if (Problem(unescaped) is { } problem)
        {
            throw RequestValidationException.For("path", problem);
        }

        return unescaped;
    }
}
