namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The counters of a single control plane: slot sets and token buckets in memory, with the same lease and refill
/// rules as <see cref="RedisQuotaCounters"/> (the same contract tests run against both). Nothing here survives a
/// restart, and nothing needs to: the work it counted ended with the process.
/// </summary>
internal sealed class InProcessQuotaCounters(TimeProvider timeProvider) : IQuotaCounters
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Quota, string Tenant), Dictionary<string, DateTimeOffset>> _slots = [];
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);

    public ValueTask<bool> TryAcquireAsync(string quota, string tenant, string holder, int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            var set = Live((quota, tenant), now);
            if (!set.ContainsKey(holder) && set.Count >= limit)
            {
                return ValueTask.FromResult(false);
            }

            set[holder] = now + lease;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync(string quota, string tenant, string holder, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_slots.TryGetValue((quota, tenant), out var set))
            {
                set.Remove(holder);
                if (set.Count == 0)
                {
                    _slots.Remove((quota, tenant));
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RenewAsync(string quota, string tenant, IReadOnlyCollection<string> holders, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            var set = Live((quota, tenant), now);
            foreach (var holder in holders)
            {
                if (set.ContainsKey(holder))
                {
                    set[holder] = now + lease;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> CountAsync(string quota, string tenant, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            return ValueTask.FromResult(Live((quota, tenant), now).Count);
        }
    }

    public ValueTask<TimeSpan?> TryTakeTokenAsync(string tenant, double perSecond, int burst, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            var (tokens, at) = _buckets.TryGetValue(tenant, out var bucket) ? bucket : (burst, now);
            var elapsed = Math.Max(0, (now - at).TotalSeconds);
            tokens = Math.Min(burst, tokens + (elapsed * perSecond));
            TimeSpan? wait = null;
            if (tokens >= 1)
            {
                tokens -= 1;
            }
            else
            {
                wait = TimeSpan.FromSeconds((1 - tokens) / perSecond);
            }

            _buckets[tenant] = (tokens, now);
            return ValueTask.FromResult(wait);
        }
    }

    /// <summary>The set with its expired slots dropped (created when missing); called under the lock.</summary>
    private Dictionary<string, DateTimeOffset> Live((string, string) key, DateTimeOffset now)
    {
        if (!_slots.TryGetValue(key, out var set))
        {
            set = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            _slots[key] = set;
            return set;
        }

        foreach (var (holder, expires) in set.Where(s => s.Value <= now).ToList())
        {
            set.Remove(holder);
        }

        return set;
    }

    /// <summary>In memory: always there.</summary>
    public ValueTask<string?> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
