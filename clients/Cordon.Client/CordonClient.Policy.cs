using System.Net.Http.Headers;
using System.Text;
using Cordon.Contracts.Json;
using Cordon.Contracts.Policy;

namespace Cordon.Client;

public sealed partial class CordonClient
{
    /// <summary><c>GET /v1/admin/tenants/{tenant}/policy</c> (scope <c>admin</c>): the tenant's policy document and its version.</summary>
    public Task<TenantPolicy> GetTenantPolicyAsync(string tenant, CancellationToken cancellationToken = default) =>
        GetJsonAsync(PolicyPath(tenant), CordonJsonContext.Default.TenantPolicy, cancellationToken);

    /// <summary>
    /// <c>PUT /v1/admin/tenants/{tenant}/policy</c> (scope <c>admin</c>): sets the tenant's policy document (JSON text,
    /// sent as given; the server validates it). With <paramref name="ifMatch"/> the change applies only while the
    /// current version is that one (else 412).
    /// </summary>
    public async Task<TenantPolicy> PutTenantPolicyAsync(string tenant, string documentJson, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentJson);
        using var request = new HttpRequestMessage(HttpMethod.Put, PolicyPath(tenant))
        {
            Content = new StringContent(documentJson, Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(ifMatch))
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch.StartsWith('"') ? ifMatch : $"\"{ifMatch}\""));
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, CordonJsonContext.Default.TenantPolicy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /v1/admin/tenants/{tenant}/policy/history</c>: who set which version when, newest first.</summary>
    public Task<TenantPolicyHistory> GetTenantPolicyHistoryAsync(string tenant, CancellationToken cancellationToken = default) =>
        GetJsonAsync(PolicyPath(tenant) + "/history", CordonJsonContext.Default.TenantPolicyHistory, cancellationToken);

    private static string PolicyPath(string tenant) => $"v1/admin/tenants/{Uri.EscapeDataString(tenant)}/policy";
}
