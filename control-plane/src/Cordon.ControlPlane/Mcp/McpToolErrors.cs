using Cordon.Contracts.Problems;
using Cordon.ControlPlane.Problems;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.ControlPlane.Mcp;

/// <summary>
/// A call-tool filter that checks the arguments first (<see cref="McpToolArguments"/>: wrong ones are a tool error in
/// API terms, as /v1 words them) and turns Cordon's domain refusals (invalid arguments, policy denial, a quota, unknown session, busy
/// session, no runner) into tool results with <c>isError</c> and the reason, so the agent can correct itself —
/// the same <see cref="CordonException"/>s /v1 answers with problem details.
/// </summary>
internal static class McpToolErrors
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var tool = context.Params?.Name ?? "";
            if (context.Services!.GetRequiredService<McpToolArguments>().Problems(tool, context.Params?.Arguments) is { } problems)
            {
                McpLog.ToolRefused(Logger(context), tool, ProblemTypes.Validation);
                return Error($"The request is invalid (400): {problems}");
            }

            try
            {
                // Each tool call is a request of the tenant's (requestsPerSecond); over it, a tool error naming the quota.
                if (context.Services!.GetRequiredService<Auth.RequestContext>().Tenant is { } tenant)
                {
                    await context.Services!.GetRequiredService<Quotas.RequestRate>().EnsureAsync(tenant, cancellationToken);
                }

                return await next(context, cancellationToken);
            }
            catch (CordonException exception)
            {
                McpLog.ToolRefused(Logger(context), tool, exception.ProblemType);
                return Error($"{exception.Title} ({exception.StatusCode}): {exception.Message}");
            }
        };

    private static ILogger Logger(RequestContext<CallToolRequestParams> context) =>
        context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(McpToolErrors));

    private static CallToolResult Error(string text) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = text }],
    };
}
