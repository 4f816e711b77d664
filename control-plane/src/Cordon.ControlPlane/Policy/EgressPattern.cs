using System.Globalization;
using System.Text.RegularExpressions;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// An egress destination: <c>host:port</c>, or in a policy <c>*.suffix:port</c> (any host below the suffix, not the
/// suffix itself). Host names are DNS names (letters, digits, hyphens; lower-cased), ports 1–65535.
/// </summary>
internal sealed partial record EgressPattern(string Host, int Port, bool Wildcard)
{
    public static EgressPattern? Parse(string? text, bool allowWildcard, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is empty; give host:port";
            return null;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            problem = $"'{text}' needs a port (host:port, e.g. {text}:443)";
            return null;
        }

        var hostText = text[..colon].ToLowerInvariant();
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"'{text}' has a bad port '{portText}' (1-65535)";
            return null;
        }

        var wildcard = hostText.StartsWith("*.", StringComparison.Ordinal);
        var host = wildcard ? hostText[2..] : hostText;
        if (wildcard && !allowWildcard)
        {
            problem = $"'{text}': a request names one host; wildcards belong in the tenant's policy";
            return null;
        }

        if (host.Length is 0 or > 253 || !host.Split('.').All(label => Label().IsMatch(label)))
        {
            problem = $"'{text}': '{hostText}' is not a host name (letters, digits and '-' in dot-separated labels{(allowWildcard ? ", optionally after '*.'" : "")})";
            return null;
        }

        if (wildcard && !host.Contains('.', StringComparison.Ordinal))
        {
            problem = $"'{text}' is too broad: a wildcard needs at least two labels after '*.' (e.g. *.example.com:{port})";
            return null;
        }

        return new EgressPattern(host, port, wildcard);
    }

    /// <summary>Whether a requested destination (never a wildcard) falls under this pattern.</summary>
    public bool Matches(EgressPattern destination) =>
        Port == destination.Port
        && (Wildcard
            ? destination.Host.EndsWith("." + Host, StringComparison.Ordinal)
            : string.Equals(Host, destination.Host, StringComparison.Ordinal));

    public override string ToString() => (Wildcard ? "*." : "") + Host + ":" + Port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
