using Cordon.Contracts.Json;
using Cordon.Contracts.Secrets;

namespace Cordon.Client;

public sealed partial class CordonClient
{
    /// <summary><c>PUT /v1/secrets/{name}</c> (scope <c>secrets:write</c>): creates or replaces the caller's tenant's secret.</summary>
    public async Task PutSecretAsync(string name, string value, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, SecretPath(name))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new PutSecretRequest { Value = value }, CordonJsonContext.Default.PutSecretRequest),
        };
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /v1/secrets</c>: the tenant's secrets by name, with their times; never values.</summary>
    public Task<IReadOnlyList<SecretInfo>> ListSecretsAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync("v1/secrets", CordonJsonContext.Default.IReadOnlyListSecretInfo, cancellationToken);

    /// <summary><c>DELETE /v1/secrets/{name}</c>.</summary>
    public async Task DeleteSecretAsync(string name, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, SecretPath(name));
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /v1/admin/secrets/rotate-master-key</c> (scope <c>admin</c>): re-wraps every data key by a new master key.</summary>
    public async Task<MasterKeyRotation> RotateMasterKeyAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/admin/secrets/rotate-master-key");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, CordonJsonContext.Default.MasterKeyRotation, cancellationToken).ConfigureAwait(false);
    }

    private static string SecretPath(string name) => "v1/secrets/" + Uri.EscapeDataString(name);
}
