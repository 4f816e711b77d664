using System.Diagnostics;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.ControlPlane.Mcp.Hosting;

/// <summary>A call-tool filter that logs each call's tool, duration and outcome (never its arguments or output).</summary>
internal static class McpToolCallLogging
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var logger = context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger("Cordon.Mcp.Tools");
            var tool = context.Params?.Name ?? "";
            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await next(context, cancellationToken);
                McpHostingLog.ToolCallFinished(logger, tool, ElapsedMs(started), result.IsError == true);
                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                McpHostingLog.ToolCallCancelled(logger, tool, ElapsedMs(started));
                throw;
            }
            catch (Exception exception)
            {
                McpHostingLog.ToolCallFailed(logger, exception, tool, ElapsedMs(started));
                throw;
            }
        };

    private static long ElapsedMs(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
