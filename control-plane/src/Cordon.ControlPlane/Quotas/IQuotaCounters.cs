namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The counters quotas are enforced with, shared by every replica of a deployment: in this process
/// (<see cref="InProcessQuotaCounters"/>) or in Redis (<see cref="RedisQuotaCounters"/>). A slot set counts named
/// holders (job or session ids) per tenant and quota; each slot is a lease that ends unless renewed, so what a crashed
/// replica held frees itself. The token bucket limits a tenant's request rate.
/// </summary>
internal interface IQuotaCounters
{
    /// <summary>
    /// Takes a slot for <paramref name="holder"/> when the tenant holds fewer than <paramref name="limit"/>; true when
    /// taken or already held (its lease is then renewed), false when the set is full.
    /// </summary>
    ValueTask<bool> TryAcquireAsync(string quota, string tenant, string holder, int limit, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Frees the holder's slot; freeing one not held does nothing.</summary>
    ValueTask ReleaseAsync(string quota, string tenant, string holder, CancellationToken cancellationToken);

    /// <summary>Extends the leases of the holders that still hold a slot; a slot already expired or freed is not taken again.</summary>
    ValueTask RenewAsync(string quota, string tenant, IReadOnlyCollection<string> holders, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The slots the tenant holds now (expired ones not counted).</summary>
    ValueTask<int> CountAsync(string quota, string tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Takes one token from the tenant's bucket (<paramref name="burst"/> tokens, refilled at
    /// <paramref name="perSecond"/>): null when taken, else how long until one is there.
    /// </summary>
    ValueTask<TimeSpan?> TryTakeTokenAsync(string tenant, double perSecond, int burst, CancellationToken cancellationToken);

    /// <summary>Null when the counters answer now; otherwise why not (the readiness check).</summary>
    ValueTask<string?> CheckAsync(CancellationToken cancellationToken);
}
