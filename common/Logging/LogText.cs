using System.Globalization;
using System.Text;

namespace Cordon.Logging;

/// <summary>
/// Makes text from outside (a token's subject, a request path, a runner's or agent's error, a signal name) safe to
/// log and to store: control characters, line and paragraph separators, bidirectional overrides and lone surrogates
/// are escaped (<c>\n</c>, <c>\u001b</c>), so the text can neither start a forged log record nor drive a terminal, and
/// its length is capped. Printable text, backslashes included, is kept as it is.
/// </summary>
internal static class LogText
{
    /// <summary>The cap for one logged or stored field of outside text, in UTF-16 characters.</summary>
    public const int DefaultMaxChars = 1024;

    /// <summary>Escapes every control character (newlines and tabs too) and caps the length: one log field on one line.</summary>
    public static string? Escape(string? text, int maxChars = DefaultMaxChars) =>
        text is null ? null : Clean(text, maxChars, keepLineBreaks: false);

    /// <summary>
    /// For a multi-line field stored and shown to people (a job's <c>error</c>): newlines and tabs stay, every other
    /// control character is escaped, the length is capped.
    /// </summary>
    public static string? Multiline(string? text, int maxChars = DefaultMaxChars) =>
        text is null ? null : Clean(text, maxChars, keepLineBreaks: true);

    /// <summary>Appends <paramref name="text"/> escaped as <see cref="Escape"/> does, capped at <paramref name="maxChars"/>.</summary>
    public static void AppendEscaped(StringBuilder builder, string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(text);
        Append(builder, text, maxChars, keepLineBreaks: false);
    }

    private static string Clean(string text, int maxChars, bool keepLineBreaks)
    {
        if (text.Length <= maxChars && !NeedsEscape(text, keepLineBreaks))
        {
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxChars) + 16);
        Append(builder, text, maxChars, keepLineBreaks);
        return builder.ToString();
    }

    private static bool NeedsEscape(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Escapes(text, i, keepLineBreaks))
            {
                return true;
            }
        }

        return false;
    }

    private static void Append(StringBuilder builder, string text, int maxChars, bool keepLineBreaks)
    {
        var end = Math.Min(text.Length, maxChars);
        for (var i = 0; i < end; i++)
        {
            var c = text[i];
            if (!Escapes(text, i, keepLineBreaks))
            {
                builder.Append(c);
                if (char.IsHighSurrogate(c) && i + 1 < text.Length)
                {
                    // A valid pair is kept whole, even when the cap falls between its halves.
                    builder.Append(text[++i]);
                }

                continue;
            }

            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
            };
        }

        if (text.Length > end)
        {
            builder.Append(CultureInfo.InvariantCulture, $"…[{text.Length - end} more chars]");
        }
    }

    private static bool Escapes(string text, int i, bool keepLineBreaks)
    {
        var c = text[i];
        if (c is '\n' or '\t')
        {
            return !keepLineBreaks;
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        }

        // C0, DEL and C1 (NEL among them); the Unicode line and paragraph separators; the bidirectional embeddings,
        // overrides and isolates that make a line read differently from what it holds.
        return char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';
    }
}
