namespace Cordon.Cli.Tokens;

/// <summary>Base64url without padding (RFC 4648 §5), as JWTs use it.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        var base64 = text.Trim().Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("Invalid base64url length.") };
        return Convert.FromBase64String(base64);
    }
}
