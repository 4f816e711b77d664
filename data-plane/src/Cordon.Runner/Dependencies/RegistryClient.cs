using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// The runner's own HTTP client for the registries: no proxy, verified TLS (the system's roots, plus the configured
/// registry CA), and redirects followed by hand, at most five, each only to a host the installation admits.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient _http;
    private readonly RegistryHosts _hosts;

    public RegistryClient(DependencyOptions options, RegistryHosts hosts)
    {
        _hosts = hosts;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        if (options.RegistryCaFile is { Length: > 0 } caFile)
        {
            var extra = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is X509Certificate2 leaf && ChainsTo(leaf, extra));
        }

        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.InstallTimeoutSeconds) };
    }

    /// <summary>GET <paramref name="url"/>, headers read, the body not yet; null when a redirect leaves the admitted hosts.</summary>
    public async Task<HttpResponseMessage?> GetAsync(Uri url, string accept, CancellationToken cancellationToken)
    {
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (!_hosts.Admits(url))
            {
                return null;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            request.Headers.TryAddWithoutValidation("User-Agent", "cordon-runner (dependency mirror)");
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                response.Dispose();
                url = new Uri(url, location);
                continue;
            }

            return response;
        }

        return null;
    }

    public void Dispose() => _http.Dispose();

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
