using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Tests.Infrastructure;

/// <summary>Mints bearer tokens with the test signing key the factory configures.</summary>
internal static class TestTokens
{
    public const string Issuer = "cordon-test";
    public const string Audience = "cordon";
    public static readonly string Key = Base64UrlEncoder.Encode(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    public const string AllScopes = "jobs:run sessions:use files:rw";

    public static string Mint(string tenant = "acme", string scopes = AllScopes, TimeSpan? lifetime = null, string? key = null, string issuer = Issuer)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Audience,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("tenant", tenant), new Claim("scope", scopes)]),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(key ?? Key)) { KeyId = "test" }, SecurityAlgorithms.HmacSha256),
        });
    }
}
