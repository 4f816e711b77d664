using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Auth;

internal static class SigningKeys
{
    public static bool TryDecode(string? value, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        try
        {
            bytes = Base64UrlEncoder.DecodeBytes(value.Trim());
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static SymmetricSecurityKey ToSecurityKey(string? kid, byte[] bytes) => new(bytes) { KeyId = kid };
}
