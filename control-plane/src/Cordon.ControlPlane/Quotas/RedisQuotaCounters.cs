using System.Globalization;
using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The counters every replica shares, in Redis (<c>Cordon:Redis:Configuration</c>). A slot set is a sorted set of
/// holders scored by lease expiry; each operation is one Lua script, so check-and-take is atomic across replicas, and
/// times are the server's (<c>TIME</c>), so replicas' clocks need not agree. Expired slots — a crashed replica's — are
/// dropped by the next operation on the set, and the key itself expires one lease after its last write. A token bucket
/// is a hash (tokens, last refill) refilled by the same script that takes from it.
/// </summary>
internal sealed class RedisQuotaCounters(IOptions<RedisOptions> options) : IQuotaCounters, IAsyncDisposable
{
    // KEYS[1] set; ARGV holder, limit, lease ms. 1 taken (or already held, renewed), 0 full.
    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local lease = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
          return 0
        end
        redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
        redis.call('PEXPIRE', KEYS[1], lease)
        return 1
        """;

    // KEYS[1] set; ARGV lease ms, holders…: the holders still in the set get a new expiry (XX: none is added back).
    private const string RenewScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local lease = tonumber(ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        for i = 2, #ARGV do
          redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i])
        end
        if redis.call('ZCARD', KEYS[1]) > 0 then
          redis.call('PEXPIRE', KEYS[1], lease)
        end
        return 0
        """;

    private const string CountScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        return redis.call('ZCARD', KEYS[1])
        """;

    // KEYS[1] bucket; ARGV per second, burst. 0 taken, else the milliseconds until a token is there.
    private const string TokenScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
        else
          wait = math.max(1, math.ceil((1 - tokens) * 1000 / rate))
        end
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        return wait
        """;

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public async ValueTask<bool> TryAcquireAsync(string quota, string tenant, string holder, int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        var result = await EvaluateAsync(AcquireScript, SlotsKey(quota, tenant), [holder, limit, LeaseMs(lease)], cancellationToken);
        return (long)result == 1;
    }

    public async ValueTask ReleaseAsync(string quota, string tenant, string holder, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        await Guard(() => db.SortedSetRemoveAsync(SlotsKey(quota, tenant), holder));
    }

    public async ValueTask RenewAsync(string quota, string tenant, IReadOnlyCollection<string> holders, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (holders.Count == 0)
        {
            return;
        }

        RedisValue[] args = [LeaseMs(lease), .. holders.Select(h => (RedisValue)h)];
        await EvaluateAsync(RenewScript, SlotsKey(quota, tenant), args, cancellationToken);
    }

    public async ValueTask<int> CountAsync(string quota, string tenant, CancellationToken cancellationToken) =>
        (int)(long)await EvaluateAsync(CountScript, SlotsKey(quota, tenant), [], cancellationToken);

    public async ValueTask<TimeSpan?> TryTakeTokenAsync(string tenant, double perSecond, int burst, CancellationToken cancellationToken)
    {
        var waitMs = (long)await EvaluateAsync(TokenScript, Key("bucket", tenant),
            [perSecond.ToString("R", CultureInfo.InvariantCulture), burst], cancellationToken);
        return waitMs == 0 ? null : TimeSpan.FromMilliseconds(waitMs);
    }

    public async ValueTask<string?> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var db = await DatabaseAsync(cancellationToken);
            await Guard(() => db.PingAsync());
            return null;
        }
        catch (QuotaCountersUnavailableException)
        {
            return "the quota counters (Redis) do not answer";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private static long LeaseMs(TimeSpan lease) => Math.Max(1, (long)lease.TotalMilliseconds);

    // The tenant in braces: a Redis Cluster keeps one tenant's keys on one node.
    private RedisKey SlotsKey(string quota, string tenant) => Key("slots:" + quota, tenant);

    private RedisKey Key(string kind, string tenant) => $"{options.Value.KeyPrefix}{{{tenant}}}:{kind}";

    private async Task<RedisResult> EvaluateAsync(string script, RedisKey key, RedisValue[] args, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        return await Guard(() => db.ScriptEvaluateAsync(script, [key], args));
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } ready)
        {
            return ready.GetDatabase();
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            _connection ??= await Guard(() => ConnectionMultiplexer.ConnectAsync(options.Value.Configuration!));
            return _connection.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new QuotaCountersUnavailableException(
                "The quota counters (Redis) did not answer, so quotas cannot be checked and the request is refused; retry later or tell the operator.",
                exception);
        }
    }
}
