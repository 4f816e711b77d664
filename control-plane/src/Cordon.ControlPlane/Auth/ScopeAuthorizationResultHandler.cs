using Cordon.Contracts.Problems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Cordon.ControlPlane.Auth;

/// <summary>Answers a missing scope with a 403 problem that names the scope; challenges go to the bearer handler.</summary>
internal sealed class ScopeAuthorizationResultHandler(IProblemDetailsService problemDetails) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var needed = policy.Requirements.OfType<ScopeRequirement>().Select(r => r.Scope).FirstOrDefault() ?? "?";
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Type = ProblemTypes.Forbidden,
                    Title = "Forbidden",
                    Status = StatusCodes.Status403Forbidden,
                    Detail = $"This endpoint needs the '{needed}' scope (or 'admin'); the token does not grant it.",
                },
            });
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
