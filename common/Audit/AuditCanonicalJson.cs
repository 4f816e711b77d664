using System.Buffers;
using System.Globalization;
using System.Text;
using Cordon.Contracts.Audit;

namespace Cordon.Audit;

/// <summary>
/// The one byte form of an audit record that its hash covers and its segment line is. Members in ordinal order of
/// their names (RFC 8785's order for these ASCII names), <c>details</c>' keys in ordinal order, no whitespace,
/// strings as raw UTF-8 with only <c>"</c>, <c>\</c> and control characters escaped (<c>\n</c>, <c>\u001b</c>),
/// the time as <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>. Any other spelling of the same values is not canonical, so
/// the verifier can demand byte equality and no flipped byte goes unseen.
/// </summary>
internal static class AuditCanonicalJson
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static byte[] Serialize(AuditRecord record, bool withHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(256);
        Raw(buffer, "{\"action\":");
        String(buffer, record.Action);
        Raw(buffer, ",\"actor\":");
        String(buffer, record.Actor);
        Raw(buffer, ",\"details\":");
        Details(buffer, record.Details);
        if (withHash)
        {
            Raw(buffer, ",\"hash\":");
            String(buffer, record.Hash);
        }

        Raw(buffer, ",\"outcome\":");
        String(buffer, record.Outcome);
        Raw(buffer, ",\"prevHash\":");
        String(buffer, record.PrevHash);
        Raw(buffer, ",\"seq\":");
        Raw(buffer, record.Seq.ToString(CultureInfo.InvariantCulture));
        Raw(buffer, ",\"target\":");
        String(buffer, record.Target);
        Raw(buffer, ",\"tenant\":");
        String(buffer, record.Tenant);
        Raw(buffer, ",\"time\":");
        String(buffer, FormatTime(record.Time));
        Raw(buffer, "}");
        return buffer.WrittenSpan.ToArray();
    }

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static void Details(ArrayBufferWriter<byte> buffer, IReadOnlyDictionary<string, string> details)
    {
        Raw(buffer, "{");
        var first = true;
        foreach (var key in details.Keys.Order(StringComparer.Ordinal))
        {
            if (!first)
            {
                Raw(buffer, ",");
            }

            first = false;
            String(buffer, key);
            Raw(buffer, ":");
            String(buffer, details[key]);
        }

        Raw(buffer, "}");
    }

    private static void String(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            Raw(buffer, "null");
            return;
        }

        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\b' => text.Append("\\b"),
                '\f' => text.Append("\\f"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                < ' ' => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        Raw(buffer, text.Append('"').ToString());
    }

    private static void Raw(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        buffer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
