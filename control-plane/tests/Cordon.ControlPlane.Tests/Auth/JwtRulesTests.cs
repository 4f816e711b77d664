using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cordon.ControlPlane.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Tests.Auth;

/// <summary>
/// Tokens built byte by byte, so each breaks exactly one rule: the algorithm is pinned, the audience and expiry are
/// required, the lifetime is capped, a tenant is required and a key signs only for its own issuer.
/// </summary>
public sealed class JwtRulesTests : ApiTestBase
{
    private const string OtherIssuer = "partner";
    private static readonly byte[] OtherKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Cordon:Auth:SigningKeys:1:Kid"] = "partner",
        ["Cordon:Auth:SigningKeys:1:Key"] = Base64UrlEncoder.Encode(OtherKey),
        ["Cordon:Auth:SigningKeys:1:Issuer"] = OtherIssuer,
        ["Cordon:Auth:MaxTokenLifetimeMinutes"] = "60",
    };

    private static byte[] TestKey => Base64UrlEncoder.DecodeBytes(TestTokens.Key);

    [Fact]
    public async Task WellFormedToken_IsAccepted() =>
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Token("HS256", Claims(), TestKey)));

    [Fact]
    public async Task AlgNone_IsRefused()
    {
        var header = Encode("""{"alg":"none","typ":"JWT"}""");
        var token = $"{header}.{Encode(JsonSerializer.Serialize(Claims()))}.";
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(token));
    }

    [Fact]
    public async Task Hs512WithTheHs256Key_IsRefused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token("HS512", Claims(), TestKey)));

    [Theory]
    [InlineData("someone-else")]
    [InlineData(null)]
    public async Task WrongOrMissingAudience_IsRefused(string? audience)
    {
        var claims = Claims();
        claims.Remove("aud");
        if (audience is not null)
        {
            claims["aud"] = audience;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token("HS256", claims, TestKey)));
    }

    [Fact]
    public async Task MissingExpiry_IsRefused()
    {
        var claims = Claims();
        claims.Remove("exp");
        var (status, detail) = await SendAsync(Token("HS256", claims, TestKey));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("no expiry", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LifetimeOverTheCap_IsRefused()
    {
        var claims = Claims();
        claims["exp"] = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds();
        var (status, detail) = await SendAsync(Token("HS256", claims, TestKey));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("longer than the 60 minutes", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingTenant_IsRefused()
    {
        var claims = Claims();
        claims.Remove("tenant");
        var (status, detail) = await SendAsync(Token("HS256", claims, TestKey));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("tenant", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeySigningForAnotherIssuer_IsRefused_ButItsOwnIssuerWorks()
    {
        // The partner's key may sign for the partner only: not for the test issuer.
        var impersonating = Claims();
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token("HS256", impersonating, OtherKey, kid: "partner")));

        var own = Claims();
        own["iss"] = OtherIssuer;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Token("HS256", own, OtherKey, kid: "partner")));

        // And the test key cannot sign for the partner.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Token("HS256", own, TestKey)));
    }

    private static Dictionary<string, object> Claims()
    {
        var now = DateTimeOffset.UtcNow;
        return new Dictionary<string, object>
        {
            ["iss"] = TestTokens.Issuer,
            ["aud"] = TestTokens.Audience,
            ["sub"] = "user-1",
            ["tenant"] = "acme",
            ["scope"] = TestTokens.AllScopes,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        };
    }

    private static string Token(string alg, Dictionary<string, object> claims, byte[] key, string kid = "test")
    {
        var signingInput = $"{Encode($$"""{"alg":"{{alg}}","typ":"JWT","kid":"{{kid}}"}""")}.{Encode(JsonSerializer.Serialize(claims))}";
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = alg == "HS512" ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private async Task<HttpStatusCode> StatusAsync(string token) => (await SendAsync(token)).Status;

    private async Task<(HttpStatusCode Status, string Detail)> SendAsync(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync("/v1/jobs", Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
