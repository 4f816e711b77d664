using System.Text.RegularExpressions;

namespace Cordon.Runner.Workspaces;

/// <summary>An artifact glob over workspace paths: <c>**</c> crosses directories, <c>*</c> and <c>?</c> stay within one.</summary>
internal sealed class WorkspaceGlob(string glob)
{
    private readonly Regex _pattern = new(
        "^" + Regex.Escape(glob.TrimStart('/'))
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$",
        RegexOptions.CultureInvariant,
        TimeSpan.FromSeconds(1));

    public bool IsMatch(string path) => _pattern.IsMatch(path);
}
