using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Quotas;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Tests.Quotas;

/// <summary>
/// The counters contract against the real Redis server from <c>CORDON_TEST_REDIS</c> (scripts/services.sh starts one),
/// each view a connection of its own, as each replica has. Without the variable the tests fail in CI and skip on a
/// developer machine.
/// </summary>
public sealed class RedisQuotaCountersTests : QuotaCountersContractTests
{
    private readonly List<RedisQuotaCounters> _views = [];

    internal static string Server()
    {
        var server = Environment.GetEnvironmentVariable("CORDON_TEST_REDIS");
        if (string.IsNullOrEmpty(server))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("CORDON_TEST_REDIS is not set; CI must run the Redis quota tests (scripts/services.sh start).");
            }

            Assert.Skip("CORDON_TEST_REDIS is not set; run: eval \"$(scripts/services.sh start)\"");
        }

        return server;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var view in _views)
        {
            await view.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    [Fact]
    public async Task Unreachable_IsQuotaCountersUnavailable_NotACrash()
    {
        await using var counters = new RedisQuotaCounters(Options.Create(new RedisOptions { Configuration = "127.0.0.1:1,connectTimeout=500,connectRetry=0" }));
        var exception = await Assert.ThrowsAsync<QuotaCountersUnavailableException>(
            () => counters.TryAcquireAsync("q", Tenant, "a", 1, TimeSpan.FromSeconds(5), Ct).AsTask());
        Assert.Equal(503, exception.StatusCode);
    }

    private protected override Task<IQuotaCounters> CreateAsync()
    {
        var view = new RedisQuotaCounters(Options.Create(new RedisOptions { Configuration = Server(), KeyPrefix = "cordon-test:" }));
        _views.Add(view);
        return Task.FromResult<IQuotaCounters>(view);
    }
}
