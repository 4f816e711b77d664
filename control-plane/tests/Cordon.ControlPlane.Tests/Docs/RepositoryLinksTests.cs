using System.Text.RegularExpressions;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Docs;

/// <summary>
/// The repository carries its own documentation: no markdown link may point outside it (e.g. to a planning folder
/// beside the clone), and every relative link must name a file or folder that exists.
/// </summary>
public sealed partial class RepositoryLinksTests
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git"];

    [Fact]
    public void MarkdownLinks_StayInsideTheRepository_AndResolve()
    {
        var root = Path.GetFullPath(RepoPaths.Root);
        var problems = new List<string>();
        var files = MarkdownFiles(root).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match match in Link().Matches(text))
            {
                var target = match.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(target)));
                var where = $"{Path.GetRelativePath(root, file)}: ({match.Groups["target"].Value})";
                if (!resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && resolved != root)
                {
                    problems.Add(where + " leaves the repository");
                }
                else if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    problems.Add(where + " names nothing");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static IEnumerable<string> MarkdownFiles(string dir)
    {
        foreach (var file in Directory.EnumerateFiles(dir, "*.md"))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(dir).Where(d => !Skipped.Contains(Path.GetFileName(d))))
        {
            foreach (var file in MarkdownFiles(sub))
            {
                yield return file;
            }
        }
    }

    /// <summary>An inline link or image, <c>[text](target)</c>, and a reference definition, <c>[id]: target</c>.</summary>
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)|^\s*\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Multiline)]
    private static partial Regex Link();
}
