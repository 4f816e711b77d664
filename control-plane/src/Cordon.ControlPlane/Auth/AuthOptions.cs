namespace Cordon.ControlPlane.Auth;

/// <summary>JWT bearer validation. Signing keys, a JWKS (Authority/MetadataAddress), or in Development the local key.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Cordon:Auth";

    /// <summary>Testing only: every request runs as a fixed test principal. Refused in Production.</summary>
    public bool Bypass { get; set; }

    /// <summary>The accepted <c>iss</c>. Default in Development: <c>cordon-dev</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The accepted <c>aud</c>.</summary>
    public string Audience { get; set; } = "cordon";

    /// <summary>Symmetric HS256 keys ({ Kid, Key } with Key base64url).</summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    /// <summary>An OpenID Connect authority whose JWKS signs the tokens.</summary>
    public string? Authority { get; set; }

    /// <summary>The OpenID Connect metadata address, when not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Trust the local development key in the data directory. Default: true in Development only; refused in Production.</summary>
    public bool? DevSigningKey { get; set; }
}
