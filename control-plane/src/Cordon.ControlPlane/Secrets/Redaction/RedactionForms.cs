using System.Text;

namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// The byte strings a secret value can show up as in output, matched as they are. The URL-encoded forms are not
/// listed: every mix of <c>%XX</c> (either case), <c>+</c> and literal bytes is too many strings, so the redactor
/// matches the raw value in a percent-decoded view of the output instead (<see cref="StreamingRedactor"/>).
/// </summary>
internal static class RedactionForms
{
    /// <summary>
    /// Derived forms (hex, base64) shorter than this are not matched: a two-character hex or base64 string occurs
    /// everywhere, and a value that short is not worth the noise. The raw value is always matched.
    /// </summary>
    public const int MinDerivedLength = 6;

    private const string StandardAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private const string UrlSafeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>The raw value, its hex in both cases, and its base64 (standard and URL-safe) at each alignment.</summary>
    public static IEnumerable<byte[]> Direct(byte[] value)
    {
        yield return value;
        if (value.Length * 2 >= MinDerivedLength)
        {
            yield return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(value));
            yield return Encoding.ASCII.GetBytes(Convert.ToHexString(value));
        }

        foreach (var alphabet in new[] { StandardAlphabet, UrlSafeAlphabet })
        {
            for (var offset = 0; offset < 3; offset++)
            {
                foreach (var form in Base64(value, offset, alphabet))
                {
                    if (form.Length >= MinDerivedLength)
                    {
                        yield return Encoding.ASCII.GetBytes(form);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The value's base64 when it starts <paramref name="offset"/> bytes into a 3-byte group of a longer encoded
    /// string: the characters its bits alone decide (each character is 6 bits; those that also hold bits of the bytes
    /// before or after depend on them and are left out), then — for a value that ends the encoded data — that text
    /// with the last, partly zero-padded character, unpadded and padded with <c>=</c>.
    /// </summary>
    public static IEnumerable<string> Base64(byte[] value, int offset, string alphabet)
    {
        var bits = 8 * (offset + value.Length);
        var first = (8 * offset + 5) / 6;  // the first character wholly inside the value's bits
        var stable = bits / 6;             // characters before this one are decided by the value and what precedes it
        if (stable <= first)
        {
            yield break;
        }

        var padded = new byte[offset + value.Length];
        value.CopyTo(padded, offset);
        var encoded = Encode(padded, alphabet);
        yield return encoded[first..stable];
        if (encoded.Length > stable)
        {
            yield return encoded[first..];
            yield return encoded[first..] + new string('=', (4 - (encoded.Length % 4)) % 4);
        }
    }

    private static string Encode(byte[] data, string alphabet)
    {
        var text = new StringBuilder((data.Length * 4 / 3) + 4);
        var buffer = 0;
        var held = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            held += 8;
            while (held >= 6)
            {
                held -= 6;
                text.Append(alphabet[(buffer >> held) & 63]);
            }
        }

        if (held > 0)
        {
            text.Append(alphabet[(buffer << (6 - held)) & 63]);
        }

        return text.ToString();
    }
}
