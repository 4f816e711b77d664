using Cordon.ControlPlane.Audit;

namespace Cordon.ControlPlane.Auth;

/// <summary>Fills the scoped <see cref="RequestContext"/> from the authenticated principal and marks bypassed requests.</summary>
internal sealed partial class RequestContextMiddleware(RequestDelegate next, IAuditSink audit, ILogger<RequestContextMiddleware> logger)
{
    public const string BypassHeader = "Cordon-Auth-Bypassed";

    public async Task InvokeAsync(HttpContext httpContext, RequestContext requestContext)
    {
        var user = httpContext.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirst(ClaimNames.Tenant)?.Value is { } tenant)
        {
            var bypassed = user.HasClaim(ClaimNames.AuthBypassed, "true");
            var scopes = user.FindAll(ClaimNames.Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            requestContext.Initialize(tenant, user.FindFirst(ClaimNames.Subject)?.Value ?? "", scopes, bypassed);
            if (bypassed)
            {
                // On starting, so problem responses (whose handler clears headers) are marked too.
                httpContext.Response.OnStarting(() =>
                {
                    httpContext.Response.Headers[BypassHeader] = "true";
                    return Task.CompletedTask;
                });
                LogBypassed(logger, httpContext.Request.Method, httpContext.Request.Path);
                await audit.WriteAsync(
                    new AuditEvent(AuditActions.AuthBypassed, tenant, requestContext.Subject, httpContext.Request.Path, "allowed", AuthBypassed: true),
                    httpContext.RequestAborted);
            }
        }

        await next(httpContext);
    }

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning,
        Message = "AUTH BYPASSED: {Method} {Path} runs as the test principal (Cordon:Auth:Bypass=true; testing only)")]
    private static partial void LogBypassed(ILogger logger, string method, string path);
}
