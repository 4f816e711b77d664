using Cordon.ControlPlane.Problems;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.ControlPlane.Mcp;

/// <summary>
/// A call-tool filter that turns Cordon's domain refusals (invalid arguments, policy denial, unknown session, busy
/// session, no runner) into tool results with <c>isError</c> and the reason, so the agent can correct itself —
/// the same <see cref="CordonException"/>s /v1 answers with problem details.
/// </summary>
internal static class McpToolErrors
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken);
            }
            catch (CordonException exception)
            {
                var logger = context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(McpToolErrors));
                McpLog.ToolRefused(logger, context.Params?.Name ?? "", exception.ProblemType);
                return new CallToolResult
                {
                    IsError = true,
                    Content = [new TextContentBlock { Text = $"{exception.Title} ({exception.StatusCode}): {exception.Message}" }],
                };
            }
        };
}
