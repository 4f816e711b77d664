using ModelContextProtocol.Client;

namespace Cordon.EndToEnd.Mcp;

/// <summary>MCP clients and tokens on the shared stack; the MCP tests act as tenant <c>mcp-e2e</c>, apart from the REST tests.</summary>
internal static class McpStack
{
    public const string Tenant = "mcp-e2e";

    public static string McpToken(this StackFixture stack, string scopes = TestSupport.BearerToken.AllScopes) => stack.Token(Tenant, scopes);

    /// <summary>An MCP client over streamable HTTP with a bearer token for <paramref name="scopes"/>.</summary>
    public static async Task<McpClient> ConnectMcpAsync(this StackFixture stack, CancellationToken cancellationToken, string scopes = TestSupport.BearerToken.AllScopes)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = stack.McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {stack.McpToken(scopes)}" },
        });
        return await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
    }
}
