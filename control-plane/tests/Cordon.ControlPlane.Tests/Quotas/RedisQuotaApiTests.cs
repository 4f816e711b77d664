namespace Cordon.ControlPlane.Tests.Quotas;

/// <summary>
/// The same quota API tests with the counters in the real Redis from <c>CORDON_TEST_REDIS</c>
/// (<c>Cordon:Redis:Configuration</c>), under a key prefix of their own.
/// </summary>
public sealed class RedisQuotaApiTests : QuotaApiTests
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Cordon:Redis:Configuration"] = RedisQuotaCountersTests.Server(),
        ["Cordon:Redis:KeyPrefix"] = "cordon-test-" + Guid.NewGuid().ToString("N")[..8] + ":",
    };
}
