using System.Collections.Concurrent;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The slots this process holds and must keep renewing (<see cref="QuotaLeaseRenewer"/>): the queued and running
/// jobs it drives, the sessions it is creating. A slot a crashed process held is renewed by nobody and expires.
/// </summary>
internal sealed class HeldQuotaSlots
{
    private readonly ConcurrentDictionary<(string Quota, string Tenant, string Holder), byte> _held = new();

    public void Add(string quota, string tenant, string holder) => _held.TryAdd((quota, tenant, holder), 0);

    public void Remove(string quota, string tenant, string holder) => _held.TryRemove((quota, tenant, holder), out _);

    /// <summary>The held slots by quota and tenant.</summary>
    public IEnumerable<IGrouping<(string Quota, string Tenant), string>> ByTenant() =>
        _held.Keys.GroupBy(k => (k.Quota, k.Tenant), k => k.Holder);
}
