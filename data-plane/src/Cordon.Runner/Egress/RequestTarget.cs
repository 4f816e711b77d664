using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cordon.Runner.Egress;

/// <summary>
/// Where a proxy request goes: a <c>CONNECT host:port</c> tunnel, or a plain-HTTP absolute-form request
/// (<c>GET http://host[:port]/path</c>) with the origin-form to forward. <see cref="Host"/> is the text as sent
/// (brackets kept); <see cref="HostNames"/> normalises it.
/// </summary>
internal sealed record RequestTarget(string Host, int Port, bool IsConnect, string Authority, string OriginForm)
{
    private const int HttpPort = 80;

    public static bool TryParse(RequestHead head, [NotNullWhen(true)] out RequestTarget? target, [NotNullWhen(false)] out EgressRefusal? refusal)
    {
        target = null;
        if (string.Equals(head.Method, "CONNECT", StringComparison.Ordinal))
        {
            if (!TrySplitAuthority(head.Target, defaultPort: null, out var host, out var port))
            {
                refusal = EgressRefusal.BadRequest("CONNECT needs host:port");
                return false;
            }

            target = new RequestTarget(host, port, IsConnect: true, head.Target, "");
            refusal = null;
            return true;
        }

        var schemeEnd = head.Target.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            refusal = EgressRefusal.BadRequest("this is a proxy: send an absolute URI (http://host/path) or CONNECT host:port");
            return false;
        }

        var scheme = head.Target[..schemeEnd];
        if (!string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            refusal = EgressRefusal.BadRequest(string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase)
                ? "https through this proxy must use CONNECT"
                : "only http:// URIs and CONNECT are proxied");
            return false;
        }

        var rest = head.Target[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var path = authorityEnd < 0 ? "/" : rest[authorityEnd..];
        if (path.Contains('#', StringComparison.Ordinal))
        {
            refusal = EgressRefusal.BadRequest("a request target holds no fragment");
            return false;
        }

        // user:password@host would make the host a matter of which parser reads it.
        if (authority.Contains('@', StringComparison.Ordinal) || !TrySplitAuthority(authority, HttpPort, out var httpHost, out var httpPort))
        {
            refusal = EgressRefusal.BadRequest("the URI's authority is not host[:port]");
            return false;
        }

        target = new RequestTarget(httpHost, httpPort, IsConnect: false, authority, path[0] == '?' ? "/" + path : path);
        refusal = null;
        return true;
    }

    /// <summary>Splits <c>host:port</c> or <c>[v6]:port</c>; without a port, <paramref name="defaultPort"/> (null: required).</summary>
    public static bool TrySplitAuthority(string authority, int? defaultPort, out string host, out int port)
    {
        host = authority;
        port = defaultPort ?? 0;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < authority.Length && authority[close + 1] != ':'))
            {
                return false;
            }

            host = authority[..(close + 1)];
            portText = close + 1 < authority.Length ? authority[(close + 2)..] : null;
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                host = authority[..colon];
                portText = authority[(colon + 1)..];
            }
        }

        if (host.Length == 0)
        {
            return false;
        }

        if (portText is null)
        {
            return defaultPort is not null;
        }

        if (portText.Length is 0 or > 5 || !portText.All(char.IsAsciiDigit))
        {
            return false;
        }

        port = int.Parse(portText, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535;
    }
}
