using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Cordon.Runner.Egress;

/// <summary>
/// A request line and its header fields, parsed strictly: CRLF line ends only, no obs-fold, token method and names,
/// HTTP/1.0 or 1.1. What a lenient parser would read two ways (the root of request smuggling) is refused here.
/// </summary>
internal sealed record RequestHead(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>Parses <paramref name="head"/>: the bytes before the blank line that ends the head.</summary>
    public static bool TryParse(ReadOnlySpan<byte> head, [NotNullWhen(true)] out RequestHead? request, [NotNullWhen(false)] out string? problem)
    {
        request = null;
        // Latin-1 maps every byte to one char, so a forwarded head is written back byte for byte.
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        if (lines.Any(line => line.Contains('\r', StringComparison.Ordinal) || line.Contains('\n', StringComparison.Ordinal)))
        {
            problem = "a line does not end in CRLF";
            return false;
        }

        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || !IsToken(parts[0]) || parts[1].Length == 0 || parts[1].Any(c => c <= ' ' || c >= 0x7F))
        {
            problem = "the request line is not METHOD target HTTP/1.1";
            return false;
        }

        if (parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            problem = "the request is not HTTP/1.0 or HTTP/1.1";
            return false;
        }

        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                problem = "a header line is not name: value";
                return false;
            }

            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (value.Any(c => (c < ' ' && c != '\t') || c == 0x7F))
            {
                problem = "a header value holds a control character";
                return false;
            }

            headers.Add(new(line[..colon], value));
        }

        request = new RequestHead(parts[0], parts[1], parts[2], headers);
        problem = null;
        return true;
    }

    public IEnumerable<string> Values(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
