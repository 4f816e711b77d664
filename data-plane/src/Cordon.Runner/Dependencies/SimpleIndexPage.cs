using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Cordon.Packages;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// One project's page of a PEP 503 simple index, filtered for an installation: only wheels (nothing is built, so
/// no package code runs while installing) of this project, in versions the allowlist admits, linked through the
/// mirror. Whatever else the upstream page lists is left out, so pip cannot even see it.
/// </summary>
internal static partial class SimpleIndexPage
{
    public static string Filter(string html, Uri page, string project, PackageAllowlist allowlist, RegistryHosts hosts, Func<Uri, string, string> link, out int dropped)
    {
        dropped = 0;
        var body = new StringBuilder("<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\"></head><body>\n");
        foreach (Match anchor in Anchor().Matches(html))
        {
            var attributes = anchor.Groups[1].Value;
            var fileName = WebUtility.HtmlDecode(anchor.Groups[2].Value).Trim();
            var href = Attribute(attributes, "href");
            if (href is null || !Uri.TryCreate(page, href, out var target) || !hosts.Admits(target)
                || WheelVersion(fileName, project) is not { } version || !allowlist.Allows(project, version))
            {
                dropped++;
                continue;
            }

            var fragment = target.Fragment; // #sha256=…: pip checks the download against it
            var upstream = new UriBuilder(target) { Fragment = "" }.Uri;
            body.Append("<a href=\"").Append(WebUtility.HtmlEncode(link(upstream, fileName) + fragment)).Append('"');
            foreach (var kept in KeptAttributes)
            {
                if (Attribute(attributes, kept) is { } value)
                {
                    body.Append(' ').Append(kept).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
                }
            }

            body.Append('>').Append(WebUtility.HtmlEncode(fileName)).Append("</a><br>\n");
        }

        return body.Append("</body></html>\n").ToString();
    }

    /// <summary>The version of a wheel of <paramref name="project"/> (<c>name-ver(-build)?-py-abi-plat.whl</c>); null otherwise.</summary>
    public static string? WheelVersion(string fileName, string project)
    {
        if (!fileName.EndsWith(".whl", StringComparison.OrdinalIgnoreCase) || fileName.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = fileName[..^4].Split('-');
        return parts.Length is 5 or 6 && PackageNames.Normalize(PackageNames.Python, parts[0]) == project ? parts[1] : null;
    }

    private static readonly string[] KeptAttributes = ["data-requires-python", "data-yanked"];

    private static string? Attribute(string attributes, string name)
    {
        foreach (Match match in AttributePattern().Matches(attributes))
        {
            if (string.Equals(match.Groups[1].Value, name, StringComparison.OrdinalIgnoreCase))
            {
                var value = match.Groups[3].Success ? match.Groups[3].Value : match.Groups[4].Success ? match.Groups[4].Value : match.Groups[5].Value;
                return WebUtility.HtmlDecode(value);
            }
        }

        return null;
    }

    [GeneratedRegex(@"<a\s+([^>]*)>([^<]*)</a\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex Anchor();

    [GeneratedRegex(@"([A-Za-z_:][-A-Za-z0-9_:.]*)(\s*=\s*(?:""([^""]*)""|'([^']*)'|([^\s""'>]+)))?")]
    private static partial Regex AttributePattern();
}
