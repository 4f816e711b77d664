using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Cordon.Client.Problems;
using Cordon.Contracts.Json;
using Cordon.Contracts.Runtimes;
using Cordon.Contracts.Service;

namespace Cordon.Client;

/// <summary>
/// A typed client for Cordon's public API (<c>/v1</c>). Every call throws <see cref="CordonApiException"/>
/// with the server's problem details when the server answers with an error status, and
/// <see cref="HttpRequestException"/> when the server cannot be reached.
/// </summary>
/// <remarks>
/// Relative request paths keep a path prefix of the base address (<c>https://host/cordon/</c>). JSON goes
/// only through <see cref="CordonJsonContext"/>, so the client is trimming- and NativeAOT-safe.
/// </remarks>
public sealed partial class CordonClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;

    /// <summary>Wraps an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the Cordon URL and
    /// whose default headers carry the bearer token. The caller keeps ownership of it.</summary>
    public CordonClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress (the Cordon URL).", nameof(httpClient));
        }

        _http = httpClient;
    }

    /// <summary>Creates a client for <paramref name="baseAddress"/> sending <paramref name="token"/> as the bearer
    /// token. Long calls (<c>wait: true</c>, event streams) are bounded by their cancellation token, not by a
    /// client-side timeout.</summary>
    public CordonClient(Uri baseAddress, string? token, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: true);
        _http.BaseAddress = WithTrailingSlash(baseAddress);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Cordon.Client", typeof(CordonClient).Assembly.GetName().Version?.ToString(3)));
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        _ownsHttpClient = true;
    }

    /// <summary>The Cordon URL requests are sent to.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary><c>GET /v1/info</c>: version and environment of the control plane (no token needed).</summary>
    public Task<ServiceInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync("v1/info", CordonJsonContext.Default.ServiceInfo, cancellationToken);

    /// <summary><c>GET /v1/runtimes</c>: the languages Cordon can run.</summary>
    public Task<IReadOnlyList<RuntimeInfo>> GetRuntimesAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync("v1/runtimes", CordonJsonContext.Default.IReadOnlyListRuntimeInfo, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    internal static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    /// <summary>Escapes each segment of a workspace path, keeping the slashes between them.</summary>
    internal static string EscapePath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, typeInfo, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> SendJsonAsync<TRequest, TResponse>(
        HttpMethod method,
        string path,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Action<HttpRequestMessage>? configure,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, requestType) };
        configure?.Invoke(request);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyToAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new CordonApiException($"The server answered {(int)response.StatusCode} with an empty body where {typeof(T).Name} was expected.");
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new CordonApiException(await ProblemReader.ReadAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }
}
