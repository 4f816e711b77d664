using System.Text.Json;
using Cordon.Contracts.Policy;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;

namespace Cordon.ControlPlane.Policy;

/// <summary>The admin API's work: read a tenant's document, validate and store a new version with its history, audited.</summary>
internal sealed class TenantPolicyAdmin(
    TenantPolicyStore store, RequestLimits limits, RequestContext context, IAuditSink audit, Quotas.TenantQuotaResolver quotas)
{
    public const int MaxDepth = 16;

    public async Task<TenantPolicy> GetAsync(string tenant, CancellationToken cancellationToken)
    {
        CheckTenant(tenant);
        var stored = await store.FindAsync(tenant, cancellationToken);
        return stored is null
            ? ToContract(tenant, TenantPolicyStore.DefaultDocument, TenantPolicyStore.DefaultVersion, isDefault: true, null, null)
            : ToContract(tenant, stored.Document, stored.Version, isDefault: false, stored.UpdatedAt, stored.UpdatedBy);
    }

    public async Task<TenantPolicy> PutAsync(string tenant, Stream body, string? ifMatch, CancellationToken cancellationToken)
    {
        CheckTenant(tenant);
        JsonDocument json;
        try
        {
            json = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken);
        }
        catch (JsonException exception)
        {
            throw RequestValidationException.For("$", "The body must be one JSON policy document: " + exception.Message);
        }

        using (json)
        {
            var errors = new ValidationErrors();
            PolicyDocumentParser.Parse(json.RootElement, limits.Max, errors);
            errors.ThrowIfAny();
            var canonical = CanonicalJson.Canonicalize(json.RootElement);
            var version = CanonicalJson.Hash(canonical);
            var by = $"{context.RequiredTenant}/{context.Subject}";
            var stored = await store.PutAsync(tenant, canonical, version, by, Unquote(ifMatch), cancellationToken);
            quotas.Invalidate(tenant); // this replica applies new quotas at once, the others within their cache time
            await audit.WriteAsync(new AuditEvent(AuditActions.PolicyUpdate, tenant, by, tenant, "updated", context.AuthBypassed,
                "policyVersion=" + version), cancellationToken);
            return ToContract(tenant, stored.Document, stored.Version, isDefault: false, stored.UpdatedAt, stored.UpdatedBy);
        }
    }

    public async Task<TenantPolicyHistory> HistoryAsync(string tenant, int? limit, CancellationToken cancellationToken)
    {
        CheckTenant(tenant);
        if (limit is < 1 or > 1000)
        {
            throw RequestValidationException.For("limit", "limit must be between 1 and 1000.");
        }

        var changes = await store.HistoryAsync(tenant, limit ?? 100, cancellationToken);
        return new TenantPolicyHistory
        {
            Items = [.. changes.Select(c => new TenantPolicyChange { Version = c.Version, ChangedAt = c.ChangedAt, ChangedBy = c.ChangedBy })],
        };
    }

    private static void CheckTenant(string tenant)
    {
        if (!TenantIds.IsValid(tenant))
        {
            throw RequestValidationException.For("tenant", "A tenant id is letters, digits, '-' and '_', at most 64, starting with a letter or digit.");
        }
    }

    // An ETag travels quoted ("sha256:…"); a bare version is taken too.
    private static string? Unquote(string? etag) =>
        string.IsNullOrWhiteSpace(etag) ? null : etag.Trim().TrimStart('W', '/').Trim('"');

    private static TenantPolicy ToContract(string tenant, string document, string version, bool isDefault, DateTimeOffset? updatedAt, string? updatedBy)
    {
        using var json = JsonDocument.Parse(document);
        return new TenantPolicy
        {
            Tenant = tenant,
            Version = version,
            IsDefault = isDefault,
            UpdatedAt = updatedAt,
            UpdatedBy = updatedBy,
            Document = json.RootElement.Clone(),
        };
    }
}
