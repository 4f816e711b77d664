using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Mcp.Hosting;

/// <summary>Maps the streamable HTTP MCP endpoint with the protections every Cordon MCP endpoint has.</summary>
internal static class McpEndpointExtensions
{
    /// <summary>
    /// Maps MCP at <paramref name="pattern"/> and refuses, with 403, requests whose <c>Host</c> or <c>Origin</c> is
    /// not loopback or a configured host (<see cref="McpHostingOptions.AllowedHosts"/>).
    /// </summary>
    public static IEndpointConventionBuilder MapCordonMcpEndpoint(this IEndpointRouteBuilder app, string pattern)
    {
        var builder = app.MapMcp(pattern);
        // The check wraps the endpoints' own delegate, so it holds for every endpoint MapMcp creates (POST, GET,
        // DELETE) whatever the middleware order of the host.
        builder.Add(endpoint =>
        {
            var next = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context => ValidateHostAsync(context, next);
        });
        return builder;
    }

    private static Task ValidateHostAsync(HttpContext context, RequestDelegate next)
    {
        var validator = context.RequestServices.GetRequiredService<McpHostValidator>();
        if (validator.IsAllowed(context.Request, out var reason))
        {
            return next(context);
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(McpEndpointExtensions));
        McpHostingLog.RequestRefused(logger, reason, context.Request.Host.Value ?? "", context.Request.Headers.Origin.ToString());
        return TypedResults.Problem(detail: reason, statusCode: StatusCodes.Status403Forbidden, type: ProblemTypes.Forbidden)
            .ExecuteAsync(context);
    }
}
