using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Auth;

/// <summary>The signature algorithms a token may use; never <c>none</c>, and HMAC only with HMAC keys.</summary>
internal static class JwtAlgorithms
{
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256,
    };

    /// <summary>Configured, or: HS256 for symmetric keys, RS256/PS256/ES256 for an authority's JWKS.</summary>
    public static IReadOnlyList<string> For(AuthOptions options)
    {
        if (options.Algorithms is { Count: > 0 } configured)
        {
            return configured;
        }

        var algorithms = new List<string> { SecurityAlgorithms.HmacSha256 };
        if (!string.IsNullOrEmpty(options.Authority) || !string.IsNullOrEmpty(options.MetadataAddress))
        {
            algorithms.AddRange([SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256]);
        }

        return algorithms;
    }
}
