using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Storage;

/// <summary>The storage quota from <c>Cordon:Quotas:Storage</c>: a per-tenant override, else the default.</summary>
internal sealed class ConfiguredStorageQuota(IOptionsMonitor<StorageQuotaOptions> options) : IStorageQuota
{
    public long? LimitBytes(string tenant)
    {
        var current = options.CurrentValue;
        var bytes = current.Tenants.TryGetValue(tenant, out var own) ? own : current.DefaultBytes;
        return bytes > 0 ? bytes : null;
    }
}
