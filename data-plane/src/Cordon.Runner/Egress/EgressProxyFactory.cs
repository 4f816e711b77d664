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
    Func<IReadOnlyCollection<IPAddress>>? ownAddresses = null)
{
    private readonly AddressGuard _guard = new(options.Value, ownAddresses ?? new OwnAddresses(time).Current);
    private readonly Func<string, CancellationToken, ValueTask<IPAddress[]>> _resolve = resolve ?? ResolveAsync;

    /// <summary>Serves <paramref name="allowlist"/> on a new Unix socket at <paramref name="socketPath"/> (its directory must exist).</summary>
    public EgressProxy Start(string socketPath, IReadOnlyList<EgressRule> allowlist)
    {
        var value = options.Value;
        var policy = new EgressPolicy([.. allowlist], _guard, _resolve, TimeSpan.FromSeconds(value.ConnectTimeoutSeconds), time);
        var proxy = new EgressProxy(socketPath, value, policy, time, logger);
        proxy.Start(allowlist.Count);
        return proxy;
    }

    private static async ValueTask<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken) =>
        await Dns.GetHostAddressesAsync(name, cancellationToken);
}
