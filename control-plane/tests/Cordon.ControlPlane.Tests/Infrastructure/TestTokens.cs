using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Infrastructure;

/// <summary>The issuer and signing key the factory configures, and tokens minted with them.</summary>
internal static class TestTokens
{
    public const string Issuer = "cordon-test";
    public const string Audience = BearerToken.DefaultAudience;
    public const string AllScopes = BearerToken.AllScopes;
    public static readonly SigningKey SigningKey = SigningKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), "test");

    /// <summary>The configured key, base64url as the settings take it.</summary>
    public static string Key => SigningKey.Key;

    public static string Mint(string tenant = "acme", string scopes = AllScopes, TimeSpan? lifetime = null, SigningKey? key = null, string issuer = Issuer) =>
        BearerToken.Mint(key ?? SigningKey, issuer, "user-1", tenant, scopes, lifetime ?? TimeSpan.FromMinutes(10));
}
