using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.EndToEnd.Mcp;

/// <summary>
/// Mints a bearer token with the control plane's local development key (<c>&lt;data&gt;/auth/dev-signing-key.json</c>,
/// issuer <c>cordon-dev</c>, audience <c>cordon</c>), as <c>cordon token</c> does.
/// </summary>
internal static class DevToken
{
    public static string Mint(string dataDirectory, string tenant, string scopes)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDirectory, "auth", "dev-signing-key.json")));
        var key = new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(file.RootElement.GetProperty("key").GetString()))
        {
            KeyId = file.RootElement.GetProperty("kid").GetString(),
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "cordon-dev",
            Audience = "cordon",
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "e2e-mcp", ["tenant"] = tenant, ["scope"] = scopes },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
