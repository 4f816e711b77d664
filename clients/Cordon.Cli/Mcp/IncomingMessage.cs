using System.Text.Json;

namespace Cordon.Cli.Mcp;

/// <summary>What the bridge needs to know about a JSON-RPC message: is it a request (with an id to answer), and is it initialize.</summary>
internal sealed record IncomingMessage(JsonElement? Id, string? Method, bool IsJsonRpc)
{
    public bool IsRequest => Id is not null && Method is not null;

    public bool IsInitialize => IsRequest && Method == "initialize";

    public static IncomingMessage? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                // A batch: forwarded as it is; the server answers each member.
                return new IncomingMessage(null, null, root.ValueKind == JsonValueKind.Array);
            }

            JsonElement? id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? idElement.Clone()
                : null;
            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return new IncomingMessage(id, method, root.TryGetProperty("jsonrpc", out _));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>protocolVersion</c> of an initialize result, sent back in the <c>MCP-Protocol-Version</c> header.</summary>
    public static string? NegotiatedProtocolVersion(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("result", out var result)
                && result.ValueKind == JsonValueKind.Object
                && result.TryGetProperty("protocolVersion", out var version)
                && version.ValueKind == JsonValueKind.String
                    ? version.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
