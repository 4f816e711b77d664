using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.Egress;

/// <summary>
/// Starts a sandbox's egress proxy. The resolver and the own-address provider default to the system's (DNS, the
/// runner's interfaces); tests pass their own so names resolve to their loopback servers deterministically.
/// </summary>
internal sealed class EgressProxyFactory(
    IOptions<EgressOptions> options,
    TimeProvider time,
    ILogger<EgressProxy> logger,
    Func<string, CancellationToken, ValueTask<IPAddress[]>>? resolve = null,
    Func<IReadOnlyCollection<IPAddress>>? ownAddresses = null,
    EgressCertificateAuthority? authority = null) : IDisposable
{
    private readonly AddressGuard _guard = new(options.Value, ownAddresses ?? new OwnAddresses(time).Current);
    private readonly Func<string, CancellationToken, ValueTask<IPAddress[]>> _resolve = resolve ?? ResolveAsync;

    private readonly UpstreamTrust _trust = new(options.Value.UpstreamCaFile);

    /// <summary>The runner's CA for proxy secrets: made with the factory, so at the runner's start, and kept in memory only.</summary>
    public EgressCertificateAuthority Authority { get; } = authority ?? new EgressCertificateAuthority(time);

    /// <summary>
    /// Serves <paramref name="allowlist"/> on a new Unix socket at <paramref name="socketPath"/> (its directory must
    /// exist), putting <paramref name="secrets"/> in place on the way to their hosts.
    /// </summary>
    public EgressProxy Start(string socketPath, IReadOnlyList<EgressRule> allowlist, ProxySecrets? secrets = null)
    {
        var value = options.Value;
        var policy = new EgressPolicy([.. allowlist], _guard, _resolve, TimeSpan.FromSeconds(value.ConnectTimeoutSeconds), time);
        var interception = secrets is null || secrets.IsEmpty ? null : new EgressInterception(secrets, Authority, _trust);
        var proxy = new EgressProxy(socketPath, value, policy, time, logger, interception);
        proxy.Start(allowlist.Count);
        return proxy;
    }

    public void Dispose() => Authority.Dispose();

    private static async ValueTask<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken) =>
        await Dns.GetHostAddressesAsync(name, cancellationToken);
}
