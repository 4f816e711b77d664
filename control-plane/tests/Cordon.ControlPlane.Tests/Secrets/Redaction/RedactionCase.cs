using System.Buffers;
using System.Net;
using System.Text;
using Cordon.ControlPlane.Secrets.Redaction;

namespace Cordon.ControlPlane.Tests.Secrets.Redaction;

/// <summary>
/// Generators and oracles for the redaction property tests. The forms are produced here with the framework's own
/// encoders (<see cref="Convert"/>, <see cref="Uri.EscapeDataString"/>, <see cref="WebUtility.UrlEncode"/>), never
/// with the redactor's derivation, and "nothing of the value survives" is checked on those independent encodings.
/// </summary>
internal static class RedactionCase
{
    // Values and the text around them come from mostly different characters, so text never spells a value by chance.
    private const string ValueChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()+=/ -_~?<>é中🙂";
    private const string FillerChars = "abcdefghijklmnopqrstuvwxyz\t,.;:\nßøж";

    public static string Value(Random random, int minLength = 8, int maxLength = 40) => Pick(random, ValueChars, random.Next(minLength, maxLength + 1));

    public static string Filler(Random random, int maxLength = 200) => Pick(random, FillerChars, random.Next(0, maxLength + 1));

    /// <summary>Feeds <paramref name="data"/> through a streaming redactor in random chunks (sizes 1..<paramref name="maxChunk"/>).</summary>
    public static byte[] Stream(SecretRedactor redactor, byte[] data, Random random, int maxChunk)
    {
        var output = new ArrayBufferWriter<byte>();
        var stream = redactor.CreateStream();
        for (var at = 0; at < data.Length;)
        {
            var size = Math.Min(data.Length - at, random.Next(1, maxChunk + 1));
            stream.Write(data.AsSpan(at, size), output);
            at += size;
        }

        stream.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The value encoded inside a longer base64 string: <paramref name="before"/> random bytes (so it starts at byte
    /// alignment <c>before % 3</c>), the value, <paramref name="after"/> random bytes. Returns the text and the
    /// characters that only the value's bits decide — what must not survive.
    /// </summary>
    public static (string Text, string Inner) EmbeddedBase64(Random random, byte[] value, int before, int after, bool urlSafe, bool padded)
    {
        var data = new byte[before + value.Length + after];
        random.NextBytes(data);
        value.CopyTo(data, before);
        var text = Convert.ToBase64String(data);
        if (urlSafe)
        {
            text = text.Replace('+', '-').Replace('/', '_');
        }

        if (!padded)
        {
            text = text.TrimEnd('=');
        }

        var first = ((8 * before) + 5) / 6;
        var end = 8 * (before + value.Length) / 6;
        return (text, text[first..end]);
    }

    /// <summary>The value URL-encoded in one of several ways real encoders do it, or a random mix of them.</summary>
    public static string UrlEncoded(Random random, string value, int style) => style switch
    {
        0 => Uri.EscapeDataString(value),                 // %20, upper-case hex
        1 => WebUtility.UrlEncode(value),                 // + for a space
        2 => Percent(value, _ => true, upper: false),     // every byte, lower-case hex
        _ => Mix(random, value),
    };

    /// <summary>Every <paramref name="window"/>-long piece of <paramref name="form"/> (the whole of it when shorter).</summary>
    public static IEnumerable<string> Windows(string form, int window)
    {
        if (form.Length <= window)
        {
            yield return form;
            yield break;
        }

        for (var i = 0; i + window <= form.Length; i++)
        {
            yield return form.Substring(i, window);
        }
    }

    public static bool ContainsAny(string text, IEnumerable<string> pieces) => pieces.Any(p => text.Contains(p, StringComparison.Ordinal));

    /// <summary>The text decoded as a URL decoder would (<c>+</c> a space, <c>%XX</c> either case), bytes as Latin-1.</summary>
    public static string UrlDecoded(byte[] data) => Encoding.Latin1.GetString(WebUtility.UrlDecodeToBytes(data, 0, data.Length));

    public static string Latin1(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    private static string Mix(Random random, string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            // '%' and '+' must be encoded (literally they mean something else); the rest either way.
            var literal = b is >= 0x21 and < 0x7f && b != '%' && b != '+' && random.Next(2) == 0;
            if (literal)
            {
                text.Append((char)b);
            }
            else if (b == ' ' && random.Next(2) == 0)
            {
                text.Append('+');
            }
            else
            {
                text.Append('%').Append(random.Next(2) == 0 ? b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) : b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static string Percent(string value, Func<byte, bool> encode, bool upper)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            text.Append(encode(b) ? "%" + b.ToString(upper ? "X2" : "x2", System.Globalization.CultureInfo.InvariantCulture) : ((char)b).ToString());
        }

        return text.ToString();
    }

    private static string Pick(Random random, string chars, int length)
    {
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(chars);
        var pool = new List<string>();
        while (elements.MoveNext())
        {
            pool.Add(elements.GetTextElement());
        }

        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(pool[random.Next(pool.Count)]);
        }

        return text.ToString();
    }
}
