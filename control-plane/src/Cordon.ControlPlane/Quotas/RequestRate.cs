using System.Globalization;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The <c>requestsPerSecond</c> quota: one token of the tenant's bucket (<c>requestsPerSecond</c>, <c>burst</c>) per
/// authenticated /v1 request (<see cref="RequestRateMiddleware"/>) and per MCP tool call (the MCP tool filter). Over
/// it: 429 naming the quota, Retry-After when the next token is there.
/// </summary>
internal sealed class RequestRate(IQuotaCounters counters, TenantQuotaResolver resolver)
{
    public async Task EnsureAsync(string tenant, CancellationToken cancellationToken)
    {
        var quotas = await resolver.GetAsync(tenant, cancellationToken);
        if (await counters.TryTakeTokenAsync(tenant, quotas.RequestsPerSecond, quotas.Burst, cancellationToken) is { } wait)
        {
            throw new QuotaExceededException(QuotaNames.RequestsPerSecond, quotas.RequestsPerSecond, string.Create(CultureInfo.InvariantCulture,
                    $"Tenant '{tenant}' sent more than {quotas.RequestsPerSecond} requests per second (quota {QuotaNames.RequestsPerSecond}, burst {quotas.Burst}); slow down and retry after the Retry-After delay."),
                wait);
        }
    }
}
