using System.Net.Http.Headers;
using ModelContextProtocol.Client;

namespace Cordon.EndToEnd.Mcp;

/// <summary>One Cordon stack shared by the MCP end-to-end tests, and MCP clients on it.</summary>
public sealed class McpStackFixture : IAsyncLifetime
{
    private CordonStack? _stack;

    internal CordonStack Stack => _stack ?? throw new InvalidOperationException("The stack is not started.");

    public Uri McpUrl => new(Stack.ControlUrl, "/mcp");

    public async ValueTask InitializeAsync() => _stack = await CordonStack.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }

    /// <summary>An MCP client over streamable HTTP with a bearer token for <paramref name="scopes"/>.</summary>
    public async Task<McpClient> ConnectAsync(CancellationToken cancellationToken, string scopes = "jobs:run sessions:use files:rw")
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {Stack.Token(scopes)}" },
        });
        return await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
    }

    public HttpClient HttpClient(string? token)
    {
        var http = new HttpClient { BaseAddress = Stack.ControlUrl };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}

[CollectionDefinition(Name)]
public sealed class McpStackCollection : ICollectionFixture<McpStackFixture>
{
    public const string Name = "MCP stack";
}
