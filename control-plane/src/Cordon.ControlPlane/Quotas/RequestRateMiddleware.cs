using Cordon.ControlPlane.Auth;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// Charges every authenticated request under <c>/v1</c> to its tenant's token bucket before it reaches its endpoint;
/// an unauthenticated one was already answered 401. MCP is charged per tool call instead, so the refusal reaches the
/// agent as a tool error it can read, not as an HTTP failure of its session.
/// </summary>
internal sealed class RequestRateMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext httpContext, RequestContext context, RequestRate rate)
    {
        if (context.Tenant is { } tenant && httpContext.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await rate.EnsureAsync(tenant, httpContext.RequestAborted);
        }

        await next(httpContext);
    }
}
