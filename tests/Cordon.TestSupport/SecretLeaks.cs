using System.Net;
using System.Text;
using System.Text.Json;

namespace Cordon.TestSupport;

/// <summary>
/// Finds a value in what the service answered, in every form the redactor promises to remove, computed here with the
/// framework's encoders: raw, hex in both cases, base64 (standard and URL-safe) of the value at each of the three
/// alignments (the characters its bits alone decide), and URL-encoded (searched by URL-decoding the text). JSON answers
/// are searched in their decoded strings (a JSON writer escapes <c>+</c> and <c>é</c>), whole and concatenated.
/// </summary>
public static class SecretLeaks
{
    /// <summary>The forms searched for literally (URL encoding is searched by decoding the text).</summary>
    public static IReadOnlyList<string> Forms(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var forms = new List<string> { value, Convert.ToHexStringLower(bytes), Convert.ToHexString(bytes) };
        for (var alignment = 0; alignment < 3; alignment++)
        {
            var data = new byte[alignment + bytes.Length];
            bytes.CopyTo(data, alignment);
            var encoded = Convert.ToBase64String(data);
            var inner = encoded[(((8 * alignment) + 5) / 6)..(8 * data.Length / 6)];
            forms.Add(inner);
            forms.Add(inner.Replace('+', '-').Replace('/', '_'));
        }

        return forms;
    }

    /// <summary>The forms of <paramref name="value"/> found in <paramref name="text"/> (empty when none).</summary>
    public static IReadOnlyList<string> In(string text, string value)
    {
        var found = Forms(value).Where(form => text.Contains(form, StringComparison.Ordinal)).ToList();
        if (WebUtility.UrlDecode(text).Contains(value, StringComparison.Ordinal))
        {
            found.Add("url-encoded");
        }

        return found;
    }

    /// <summary>The forms found in a JSON document's strings, each and all joined (a value split across members).</summary>
    public static IReadOnlyList<string> InJson(string json, string value)
    {
        var strings = new List<string>();
        Collect(JsonDocument.Parse(json).RootElement, strings);
        return [.. strings.Append(string.Concat(strings)).Append(json).SelectMany(s => In(s, value)).Distinct()];
    }

    private static void Collect(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                strings.Add(element.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    strings.Add(property.Name);
                    Collect(property.Value, strings);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, strings);
                }

                break;
        }
    }
}
