using Microsoft.AspNetCore.Authorization;

namespace Cordon.ControlPlane.Auth;

/// <summary>The token's <c>scope</c> claim must hold <see cref="Scope"/> (or <c>admin</c>).</summary>
internal sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var granted = context.User.FindAll(ClaimNames.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (granted.Any(s => s == requirement.Scope || s == Scopes.Admin))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
