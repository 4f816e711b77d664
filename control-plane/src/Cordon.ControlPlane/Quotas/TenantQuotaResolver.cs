using System.Collections.Concurrent;
using System.Text.Json;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// A tenant's effective quotas, from the <c>quotas</c> of its stored policy document (whatever engine decides the
/// rest), each missing one from <c>Cordon:Quotas:Defaults</c>. Read for every request (the rate limit), so kept for
/// <see cref="QuotaOptions.PolicyCacheSeconds"/>; a <c>PUT</c> of the policy drops the tenant's entry here at once.
/// </summary>
internal sealed class TenantQuotaResolver(IServiceScopeFactory scopeFactory, IOptions<QuotaOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, (TenantQuotas Quotas, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<TenantQuotas> GetAsync(string tenant, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(tenant, out var cached) && now - cached.ReadAt < TimeSpan.FromSeconds(options.Value.PolicyCacheSeconds))
        {
            return cached.Quotas;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<TenantPolicyStore>().FindAsync(tenant, cancellationToken);
        var quotas = Effective(stored is null ? null : Read(stored.Document));
        _cache[tenant] = (quotas, now);
        return quotas;
    }

    /// <summary>The tenant's policy changed: the next read goes to the store.</summary>
    public void Invalidate(string tenant) => _cache.TryRemove(tenant, out _);

    private TenantQuotas Effective(PolicyQuotas? quotas)
    {
        var defaults = options.Value.Defaults;
        return new TenantQuotas(
            quotas?.ConcurrentJobs ?? defaults.ConcurrentJobs,
            quotas?.QueuedJobs ?? defaults.QueuedJobs,
            quotas?.ConcurrentSessions ?? defaults.ConcurrentSessions,
            quotas?.RequestsPerSecond ?? defaults.RequestsPerSecond,
            quotas?.Burst ?? defaults.Burst);
    }

    /// <summary>
    /// The stored document was valid when stored; one that no longer parses gets the defaults here (the policy engine
    /// denies its work anyway).
    /// </summary>
    private static PolicyQuotas? Read(string document)
    {
        using var json = JsonDocument.Parse(document);
        return PolicyDocumentParser.Parse(json.RootElement, BuiltInPolicyEngine.NoCeilings, new ValidationErrors())?.Quotas;
    }
}
