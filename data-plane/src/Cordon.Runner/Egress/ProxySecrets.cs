namespace Cordon.Runner.Egress;

/// <summary>
/// One sandbox's proxy secrets. Which secret is substituted is decided by the destination the proxy checked (the
/// CONNECT target or the absolute URI it connected to), never by anything else the request says.
/// </summary>
internal sealed class ProxySecrets(IReadOnlyList<ProxySecret> secrets)
{
    public static readonly ProxySecrets None = new([]);

    public IReadOnlyList<ProxySecret> All => secrets;

    public bool IsEmpty => secrets.Count == 0;

    /// <summary>Whether any secret is listed for <paramref name="host"/>:<paramref name="port"/>: its TLS is terminated.</summary>
    public bool IsListed(NormalizedHost host, int port) => secrets.Any(s => s.IsFor(host, port));

    /// <summary>
    /// Looks for every placeholder in <paramref name="head"/>. A secret listed for the destination has its placeholder
    /// replaced in header values when <paramref name="substitute"/> (never in the request line: "request headers
    /// only"); any other secret's placeholder anywhere in the head is a leak, left as it is and reported.
    /// </summary>
    public HeadSubstitution Inspect(RequestHead head, NormalizedHost host, int port, bool substitute)
    {
        if (secrets.Count == 0)
        {
            return new HeadSubstitution(head.Headers, [], []);
        }

        var used = new List<string>();
        var leaked = new List<string>();
        var headers = head.Headers.ToList();
        foreach (var secret in secrets)
        {
            var listed = secret.IsFor(host, port);
            var inTarget = head.Target.Contains(secret.Placeholder, StringComparison.Ordinal);
            var inHeaders = false;
            for (var i = 0; i < headers.Count; i++)
            {
                var (name, value) = headers[i];
                if (name.Contains(secret.Placeholder, StringComparison.Ordinal))
                {
                    inTarget = true; // a header name is never substituted: as good as the target
                }

                if (value.Contains(secret.Placeholder, StringComparison.Ordinal))
                {
                    inHeaders = true;
                    if (listed && substitute)
                    {
                        headers[i] = new(name, value.Replace(secret.Placeholder, secret.ValueText, StringComparison.Ordinal));
                    }
                }
            }

            if (listed && substitute && inHeaders)
            {
                used.Add(secret.Name);
            }
            else if (!listed && (inTarget || inHeaders))
            {
                leaked.Add(secret.Name);
            }
        }

        return new HeadSubstitution(headers, used, leaked);
    }
}
