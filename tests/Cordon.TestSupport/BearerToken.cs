using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.TestSupport;

/// <summary>Mints HS256 bearer tokens with the claims the control plane reads (<c>sub</c>, <c>tenant</c>, <c>scope</c>).</summary>
public static class BearerToken
{
    /// <summary>Every scope a client can hold.</summary>
    public const string AllScopes = "jobs:run sessions:use files:rw";

    /// <summary>The issuer of the Development key (<see cref="SigningKey.ReadDevKey"/>), as <c>cordon token</c> uses it.</summary>
    public const string DevIssuer = "cordon-dev";

    public const string DefaultAudience = "cordon";

    /// <summary>
    /// A token valid for <paramref name="lifetime"/> (30 minutes unless told); a negative lifetime gives one that
    /// expired that long ago and was issued five minutes before, so only its expiry is wrong.
    /// </summary>
    public static string Mint(
        SigningKey key,
        string issuer,
        string subject,
        string tenant,
        string scopes = AllScopes,
        TimeSpan? lifetime = null,
        string audience = DefaultAudience)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(30));
        var issued = expires < now ? expires.AddMinutes(-5) : now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("tenant", tenant), new Claim("scope", scopes)]),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(key.Key)) { KeyId = key.KeyId }, SecurityAlgorithms.HmacSha256),
        });
    }
}
