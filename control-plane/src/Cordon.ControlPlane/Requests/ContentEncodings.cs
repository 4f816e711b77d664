using System.Text;

namespace Cordon.ControlPlane.Requests;

/// <summary>
/// File content as requests carry it (<c>utf8</c> text or <c>base64</c>), and the strict UTF-8 check that decides
/// whether bytes can be handed back as text.
/// </summary>
internal static class ContentEncodings
{
    public const string Utf8 = "utf8";
    public const string Base64 = "base64";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="content"/>; null encoding means utf8. Fails with which member is wrong.</summary>
    public static ContentDecoding Decode(string? content, string? encoding)
    {
        switch (encoding ?? Utf8)
        {
            case Utf8:
                return ContentDecoding.Success(Encoding.UTF8.GetBytes(content ?? ""));
            case Base64:
                try
                {
                    return ContentDecoding.Success(Convert.FromBase64String(content ?? ""));
                }
                catch (FormatException)
                {
                    return ContentDecoding.BadContent("The content is not valid base64.");
                }

            default:
                return ContentDecoding.BadEncoding($"Unknown encoding '{encoding}'; use '{Utf8}' or '{Base64}'.");
        }
    }

    /// <summary>The text of <paramref name="bytes"/> when they are valid UTF-8, else null.</summary>
    public static string? TryDecodeUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
