namespace Cordon.Runner.Dependencies;

/// <summary>
/// Where an installation may download from: the registries' own origins and the configured file hosts. A link in an
/// index or a package document that points anywhere else is dropped, so no registry can send the mirror elsewhere.
/// </summary>
internal sealed class RegistryHosts
{
    private readonly HashSet<string> _origins = new(StringComparer.OrdinalIgnoreCase);

    public RegistryHosts(DependencyOptions options)
    {
        _origins.Add(Origin(new Uri(options.PythonIndexUrl)));
        _origins.Add(Origin(new Uri(options.NpmRegistryUrl)));
        foreach (var entry in options.FileHosts)
        {
            if (TryParse(entry, out var host))
            {
                _origins.Add(host);
            }
        }
    }

    public bool Admits(Uri url) => url.Scheme is "http" or "https" && string.IsNullOrEmpty(url.UserInfo) && (_origins.Contains(Origin(url)) || _origins.Contains(url.IdnHost));

    /// <summary><c>host</c> (any port) or <c>host:port</c>, lower case.</summary>
    public static bool TryParse(string entry, out string host)
    {
        host = entry.Trim().ToLowerInvariant();
        return host.Length > 0 && Uri.TryCreate("https://" + host + "/", UriKind.Absolute, out var uri) && uri.PathAndQuery == "/" && string.IsNullOrEmpty(uri.UserInfo);
    }

    private static string Origin(Uri url) => url.IdnHost.ToLowerInvariant() + ":" + url.Port;
}
