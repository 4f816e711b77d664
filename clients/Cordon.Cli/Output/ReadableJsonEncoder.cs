using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Cordon.Cli;

/// <summary>
/// The JSON encoder for what the CLI prints for people: only what JSON requires (<c>"</c>, <c>\</c>, control
/// characters) is escaped, plus what could drive or mislead a terminal (DEL, C1 controls, line and paragraph
/// separators, bidirectional overrides). <c>'</c>, <c>&lt;</c>, <c>&amp;</c>, accents and emoji print as they are — the
/// default encoder's HTML-safe <c>\u0027</c> and <c>\u00e9</c> are for embedding JSON in web pages, which this is not.
/// The output is still valid JSON.
/// </summary>
internal sealed class ReadableJsonEncoder : JavaScriptEncoder
{
    public static readonly ReadableJsonEncoder Instance = new();

    private ReadableJsonEncoder()
    {
    }

    // "\uXXXX"; a supplementary scalar is never escaped, so one input character never needs more.
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || WillEncode(c))
            {
                return i;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var output = new Span<char>(buffer, bufferLength);
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => null,
        };
        if (escape is null && !WillEncode(unicodeScalar))
        {
            return new Rune(unicodeScalar).TryEncodeToUtf16(output, out numberOfCharactersWritten);
        }

        // Every other scalar escaped is in the basic plane (see WillEncode): one \uXXXX.
        escape ??= string.Create(CultureInfo.InvariantCulture, $"\\u{unicodeScalar:x4}");
        numberOfCharactersWritten = 0;
        if (escape.Length > output.Length)
        {
            return false;
        }

        escape.CopyTo(output);
        numberOfCharactersWritten = escape.Length;
        return true;
    }

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar is < 0x20 or '"' or '\\' or (>= 0x7f and <= 0x9f) or 0x2028 or 0x2029 or (>= 0x202a and <= 0x202e) or (>= 0x2066 and <= 0x2069);
}
