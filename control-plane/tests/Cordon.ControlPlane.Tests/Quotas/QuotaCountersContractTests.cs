using Cordon.ControlPlane.Quotas;

namespace Cordon.ControlPlane.Tests.Quotas;

/// <summary>
/// The contract every <see cref="IQuotaCounters"/> keeps, run against the in-process counters and against Redis:
/// slot sets bounded per tenant and quota, idempotent per holder, leases that expire unless renewed; token buckets
/// that allow a burst and then refill at their rate. Real time, short leases: what is tested is expiry itself.
/// </summary>
public abstract class QuotaCountersContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Each test its own tenant names, so runs against one shared Redis never meet.
    protected string Tenant { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    private protected IQuotaCounters Counters { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync() => Counters = await CreateAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>A fresh view of the same counters (for Redis: another connection, as another replica has).</summary>
    private protected abstract Task<IQuotaCounters> CreateAsync();

    [Fact]
    public async Task Acquire_UpToTheLimit_ThenRefused_ReleaseFreesOne()
    {
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "a", 2, Lease, Ct));
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "b", 2, Lease, Ct));
        Assert.False(await Counters.TryAcquireAsync("q", Tenant, "c", 2, Lease, Ct));
        Assert.Equal(2, await Counters.CountAsync("q", Tenant, Ct));

        await Counters.ReleaseAsync("q", Tenant, "a", Ct);
        await Counters.ReleaseAsync("q", Tenant, "never-held", Ct);
        Assert.Equal(1, await Counters.CountAsync("q", Tenant, Ct));
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "c", 2, Lease, Ct));
        Assert.False(await Counters.TryAcquireAsync("q", Tenant, "d", 2, Lease, Ct));
    }

    [Fact]
    public async Task Acquire_SameHolderAgain_HoldsOneSlot_EvenAtTheLimit()
    {
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "a", 1, Lease, Ct));
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "a", 1, Lease, Ct));
        Assert.Equal(1, await Counters.CountAsync("q", Tenant, Ct));
    }

    [Fact]
    public async Task Limit_IsPerTenantAndPerQuota_AndZeroAdmitsNone()
    {
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "a", 1, Lease, Ct));
        Assert.True(await Counters.TryAcquireAsync("q", Tenant + "x", "a", 1, Lease, Ct));
        Assert.True(await Counters.TryAcquireAsync("other", Tenant, "a", 1, Lease, Ct));
        Assert.False(await Counters.TryAcquireAsync("zero", Tenant, "a", 0, Lease, Ct));
    }

    [Fact]
    public async Task Lease_NotRenewed_Expires_SoACrashedHoldersSlotFreesItself()
    {
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "crashed", 1, TimeSpan.FromMilliseconds(500), Ct));
        Assert.False(await Counters.TryAcquireAsync("q", Tenant, "next", 1, Lease, Ct));

        await Task.Delay(700, Ct);
        Assert.Equal(0, await Counters.CountAsync("q", Tenant, Ct));
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "next", 1, Lease, Ct));
    }

    [Fact]
    public async Task Renew_KeepsASlotPastItsFirstLease_ButNeverTakesAReleasedOneAgain()
    {
        var shortLease = TimeSpan.FromMilliseconds(600);
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "alive", 5, shortLease, Ct));
        Assert.True(await Counters.TryAcquireAsync("q", Tenant, "released", 5, shortLease, Ct));
        await Counters.ReleaseAsync("q", Tenant, "released", Ct);

        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(300, Ct);
            await Counters.RenewAsync("q", Tenant, ["alive", "released", "stranger"], shortLease, Ct);
        }

        // 1.2 s after it was taken, twice its lease: still held, and only it.
        Assert.Equal(1, await Counters.CountAsync("q", Tenant, Ct));
        Assert.False(await Counters.TryAcquireAsync("q", Tenant, "late", 1, Lease, Ct));
    }

    [Fact]
    public async Task Acquire_Concurrent_NeverMoreThanTheLimit()
    {
        var others = await CreateAsync();
        var attempts = Enumerable.Range(0, 40)
            .Select(i => (i % 2 == 0 ? Counters : others).TryAcquireAsync("q", Tenant, "h" + i, 7, Lease, Ct).AsTask());
        var taken = await Task.WhenAll(attempts);
        Assert.Equal(7, taken.Count(t => t));
        Assert.Equal(7, await Counters.CountAsync("q", Tenant, Ct));
    }

    [Fact]
    public async Task Tokens_BurstThenRefusedWithTheWait_ThenRefillAtTheRate()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await Counters.TryTakeTokenAsync(Tenant, 5, 3, Ct));
        }

        var wait = await Counters.TryTakeTokenAsync(Tenant, 5, 3, Ct);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(200)); // a token per 200 ms

        await Task.Delay(wait.Value + TimeSpan.FromMilliseconds(50), Ct);
        Assert.Null(await Counters.TryTakeTokenAsync(Tenant, 5, 3, Ct));
        Assert.NotNull(await Counters.TryTakeTokenAsync(Tenant, 5, 3, Ct));
        Assert.Null(await Counters.TryTakeTokenAsync(Tenant + "x", 5, 3, Ct)); // another tenant's bucket is full
    }

    [Fact]
    public async Task Tokens_AreOneBucketForEveryView()
    {
        var others = await CreateAsync();
        Assert.Null(await Counters.TryTakeTokenAsync(Tenant, 0.01, 2, Ct));
        Assert.Null(await others.TryTakeTokenAsync(Tenant, 0.01, 2, Ct));
        var wait = await Counters.TryTakeTokenAsync(Tenant, 0.01, 2, Ct);
        Assert.NotNull(wait);
        Assert.True(wait.Value > TimeSpan.FromSeconds(90), $"one token per 100 s: waits {wait}");
    }
}
