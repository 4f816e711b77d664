namespace Cordon.ControlPlane.Auth;

/// <summary>JWT bearer validation. Signing keys, a JWKS (Authority/MetadataAddress), or in Development the local key.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Cordon:Auth";

    /// <summary>Testing only: every request runs as a fixed test principal. Only in Development on loopback.</summary>
    public bool Bypass { get; set; }

    /// <summary>The accepted <c>iss</c>. Default in Development: <c>cordon-dev</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The accepted <c>aud</c>.</summary>
    public string Audience { get; set; } = "cordon";

    /// <summary>Symmetric HS256 keys ({ Kid, Key, Issuer } with Key base64url); each signs only for its issuer.</summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    /// <summary>An OpenID Connect authority whose JWKS signs the tokens.</summary>
    public string? Authority { get; set; }

    /// <summary>The OpenID Connect metadata address, when not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Trust the local development key in the data directory. Default: true in Development on loopback; refused elsewhere.</summary>
    public bool? DevSigningKey { get; set; }

    /// <summary>Accepted <c>alg</c>s; default HS256, plus RS256/PS256/ES256 with an authority. Never <c>none</c>.</summary>
    public List<string>? Algorithms { get; set; }

    /// <summary>The longest lifetime (<c>exp</c> − <c>iat</c>/<c>nbf</c>) a token may have; default 7 days.</summary>
    public int MaxTokenLifetimeMinutes { get; set; } = 7 * 24 * 60;
}
