using System.Net;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Mcp.Hosting;

/// <summary>
/// Decides whether a request's <c>Host</c> and <c>Origin</c> name this server: a page on another site that got
/// its DNS name pointed at 127.0.0.1 still sends its own name in both, and is refused.
/// </summary>
internal sealed class McpHostValidator(IOptions<McpHostingOptions> options)
{
    private readonly HashSet<string> _allowed = new(
        options.Value.AllowedHosts.Select(h => h.Trim()).Where(h => h.Length > 0),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the request may reach the MCP endpoint; otherwise <paramref name="reason"/> says why not.</summary>
    public bool IsAllowed(HttpRequest request, out string reason)
    {
        if (!request.Host.HasValue || !IsAllowedHost(request.Host.Host))
        {
            reason = "Host header is not an allowed host";
            return false;
        }

        // Non-browser clients send no Origin; a browser always does on the requests that matter here.
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(origin))
        {
            reason = "Origin header is not an allowed origin";
            return false;
        }

        reason = "";
        return true;
    }

    private bool IsAllowedOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && IsAllowedHost(uri.Host);

    private bool IsAllowedHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // IPAddress parses "[::1]" as well as "::1" and "127.0.0.1"; every 127/8 address is loopback.
        if (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address))
        {
            return true;
        }

        return _allowed.Contains(host);
    }
}
