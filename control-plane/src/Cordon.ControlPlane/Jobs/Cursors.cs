using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Jobs;

/// <summary>Opaque paging cursors: base64url of the last id of the page, so clients cannot build their own.</summary>
internal static class Cursors
{
    private const string Prefix = "c1:";

    public static string Encode(string lastId) => Base64UrlEncoder.Encode(Prefix + lastId);

    public static bool TryDecode(string cursor, out string? lastId)
    {
        lastId = null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(cursor));
            if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return false;
            }

            lastId = text[Prefix.Length..];
            return lastId.Length is > 0 and <= 64;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
