using System.Net;
using System.Net.Sockets;

namespace Cordon.Runner.Egress;

/// <summary>
/// Decides one request of one sandbox: normalise the host, match the allowlist, resolve a name once and check every
/// address it resolved to. The addresses checked are the addresses connected to — there is no second lookup a
/// rebinding name server could answer differently.
/// </summary>
internal sealed class EgressPolicy(
    IReadOnlyList<EgressRule> allowlist,
    AddressGuard guard,
    Func<string, CancellationToken, ValueTask<IPAddress[]>> resolve,
    TimeSpan lookupTimeout,
    TimeProvider time)
{
    public async Task<EgressDecision> DecideAsync(NormalizedHost host, int port, CancellationToken cancellationToken)
    {
        if (!host.IsValid)
        {
            return EgressDecision.Refuse(EgressRefusal.BadRequest(host.Problem));
        }

        var rule = allowlist.FirstOrDefault(r => r.Matches(host, port));
        if (rule is null)
        {
            return EgressDecision.Refuse(EgressRefusal.Forbidden(EgressRefusal.NotAllowlisted));
        }

        if (host.Address is { } literal)
        {
            return guard.Refusal(literal) is { } refused
                ? EgressDecision.Refuse(EgressRefusal.Forbidden($"{literal} is {refused}"), rule) with { Addresses = [literal] }
                : EgressDecision.Allow(rule, [literal]);
        }

        var name = host.Name!;
        IPAddress[] resolved;
        using (var deadline = new CancellationTokenSource(lookupTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        {
            try
            {
                resolved = await resolve(name, linked.Token);
            }
            catch (Exception e) when (e is SocketException or ArgumentException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return EgressDecision.Refuse(EgressRefusal.BadGateway($"{name} could not be resolved"), rule);
            }
        }

        var addresses = resolved.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Distinct().ToList();
        if (addresses.Count == 0)
        {
            return EgressDecision.Refuse(EgressRefusal.BadGateway($"{name} has no address"), rule);
        }

        // One refused address refuses the name: connecting to the others would still tell an attacker's name
        // server which answers the sandbox can reach, and a name mixing public and private is not a public service.
        foreach (var address in addresses)
        {
            if (guard.Refusal(address) is { } refused)
            {
                return EgressDecision.Refuse(EgressRefusal.Forbidden($"{name} resolves to {address}, {refused}"), rule) with { Addresses = [address] };
            }
        }

        return EgressDecision.Allow(rule, addresses);
    }
}
