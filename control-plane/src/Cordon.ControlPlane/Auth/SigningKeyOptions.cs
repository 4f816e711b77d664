namespace Cordon.ControlPlane.Auth;

internal sealed class SigningKeyOptions
{
    public string? Kid { get; set; }

    /// <summary>Base64url of at least 32 random bytes (HS256).</summary>
    public string Key { get; set; } = "";

    /// <summary>The only <c>iss</c> this key signs for; default <c>Cordon:Auth:Issuer</c>.</summary>
    public string? Issuer { get; set; }
}
