using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Execution;

/// <summary>
/// First check of a caller's workspace path (relative, no <c>..</c>, no NUL). The agent enforces confinement
/// itself with <c>openat2(RESOLVE_BENEATH)</c>; this only turns obvious mistakes into InvalidArgument early.
/// </summary>
internal static class WorkspacePath
{
    public static string Validate(string? path, bool allowEmpty = false)
    {
        if (string.IsNullOrEmpty(path))
        {
            return allowEmpty ? "" : throw Invalid(path, "is empty");
        }

        if (path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
        {
            throw Invalid(path, "must be relative to /workspace");
        }

        foreach (var part in path.Split('/'))
        {
            if (part is ".." || (part.Length == 0 && path.Length > 0 && !path.EndsWith('/')))
            {
                throw Invalid(path, "must not contain '..' or empty segments");
            }
        }

        return path.TrimEnd('/');
    }

    private static SandboxException Invalid(string? path, string why) => new(SandboxError.InvalidArgument, $"Path '{path}' {why}.");
}
