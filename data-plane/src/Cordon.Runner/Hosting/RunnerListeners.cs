using System.Net;
using Cordon.Runner.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cordon.Runner.Hosting;

/// <summary>
/// The runner's endpoints when it has a metrics listener (<c>Cordon:Runner:MetricsUrl</c>). Kestrel ignores the
/// <c>urls</c> setting once any endpoint is configured in code, so the gRPC addresses are bound here too (h2c), and
/// the metrics address as HTTP/1.1, the protocol scrapers and probes speak.
/// </summary>
internal static class RunnerListeners
{
    public static void Listen(KestrelServerOptions kestrel, IEnumerable<string> grpcUrls, string metricsUrl, bool grpcOnSocket)
    {
        if (!grpcOnSocket)
        {
            foreach (var url in grpcUrls)
            {
                Bind(kestrel, url, HttpProtocols.Http2);
            }
        }

        Bind(kestrel, metricsUrl, HttpProtocols.Http1);
    }

    private static void Bind(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        var address = BindingAddress.Parse(url);
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase) || address.Port is < 0 or > 65535)
        {
            throw new RunnerStartupException($"'{url}' is not an http://host:port address the runner can listen on");
        }

        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, listen => listen.Protocols = protocols);
        }
        else if (address.Host is "*" or "+" or "0.0.0.0" or "[::]")
        {
            kestrel.ListenAnyIP(address.Port, listen => listen.Protocols = protocols);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port, listen => listen.Protocols = protocols);
        }
        else
        {
            throw new RunnerStartupException($"'{url}' names a host; the runner listens on an IP address or localhost");
        }
    }
}
