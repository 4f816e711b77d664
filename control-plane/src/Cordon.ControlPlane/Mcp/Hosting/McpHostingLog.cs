namespace Cordon.ControlPlane.Mcp.Hosting;

/// <summary>Log messages of the MCP endpoint (event ids 4000–4099). Never arguments or program output.</summary>
internal static partial class McpHostingLog
{
    [LoggerMessage(4000, LogLevel.Warning, "MCP request refused: {Reason} (Host {Host}, Origin {Origin})")]
    public static partial void RequestRefused(ILogger logger, string reason, string host, string origin);

    [LoggerMessage(4001, LogLevel.Debug, "MCP tool {Tool} finished in {ElapsedMs} ms (isError {IsError})")]
    public static partial void ToolCallFinished(ILogger logger, string tool, long elapsedMs, bool isError);

    [LoggerMessage(4002, LogLevel.Information, "MCP tool {Tool} cancelled by the client after {ElapsedMs} ms")]
    public static partial void ToolCallCancelled(ILogger logger, string tool, long elapsedMs);

    [LoggerMessage(4003, LogLevel.Error, "MCP tool {Tool} failed after {ElapsedMs} ms")]
    public static partial void ToolCallFailed(ILogger logger, Exception exception, string tool, long elapsedMs);
}
