using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Auth;

/// <summary>How long a validated token is meant to live: from <c>iat</c> (or <c>nbf</c>, or now) to <c>exp</c>.</summary>
internal static class TokenLifetime
{
    public static TimeSpan Of(SecurityToken token)
    {
        var expires = token.ValidTo;
        var start = token is JsonWebToken { IssuedAt: var issued } && issued != DateTime.MinValue
            ? issued
            : token.ValidFrom != DateTime.MinValue ? token.ValidFrom : DateTime.UtcNow;
        return expires - start;
    }
}
