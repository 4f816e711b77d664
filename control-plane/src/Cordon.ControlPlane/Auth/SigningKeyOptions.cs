namespace Cordon.ControlPlane.Auth;

internal sealed class SigningKeyOptions
{
    public string? Kid { get; set; }

    /// <summary>Base64url of at least 32 random bytes (HS256).</summary>
    public string Key { get; set; } = "";
}
