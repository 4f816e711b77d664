namespace Cordon.ControlPlane.Mcp;

/// <summary>Log messages of Cordon's MCP tools (event ids 4100–4199). Never arguments or program output.</summary>
internal static partial class McpLog
{
    [LoggerMessage(4100, LogLevel.Information, "MCP client cancelled the call; cancelling job {JobId}")]
    public static partial void CancellingJob(ILogger logger, string jobId);

    [LoggerMessage(4101, LogLevel.Debug, "MCP tool {Tool} refused: {ProblemType}")]
    public static partial void ToolRefused(ILogger logger, string tool, string problemType);
}
