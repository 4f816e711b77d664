using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Auth;

/// <summary>
/// Testing only (<c>Cordon:Auth:Bypass=true</c>, refused in Production): every request is the fixed test principal,
/// tenant <c>test</c> with every scope.
/// </summary>
internal sealed class BypassAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bypass";
    public const string TestTenant = "test";
    public const string TestSubject = "auth-bypass";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimNames.Subject, TestSubject),
                new Claim(ClaimNames.Tenant, TestTenant),
                new Claim(ClaimNames.Scope, string.Join(' ', Scopes.All)),
                new Claim(ClaimNames.AuthBypassed, "true"),
            ],
            SchemeName, ClaimNames.Subject, null);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
