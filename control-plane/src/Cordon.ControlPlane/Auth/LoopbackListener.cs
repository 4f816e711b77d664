using System.Net;

namespace Cordon.ControlPlane.Auth;

/// <summary>
/// Whether every address the control plane listens on is loopback, read from the same configuration Kestrel
/// reads (<c>urls</c>, <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints:*:Url</c>; default 127.0.0.1:8080).
/// </summary>
internal static class LoopbackListener
{
    public static IReadOnlyList<string> Urls(IConfiguration configuration)
    {
        var urls = new List<string>();
        foreach (var value in new[] { configuration["urls"], configuration["ASPNETCORE_URLS"], configuration["URLS"] })
        {
            urls.AddRange((value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>());
        return urls.Count == 0 ? [ControlPlaneExtensions.DefaultUrl] : urls;
    }

    public static bool IsLoopback(string url)
    {
        // Kestrel's wildcards ("http://*:80", "http://+:80") are not URIs to System.Uri.
        var host = url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
