using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cordon.Client.Problems;

/// <summary>
/// Reads problem details by hand rather than through the strict contract context: servers and proxies add
/// extension members (<c>traceId</c>…) and some errors come without any JSON body at all.
/// </summary>
internal static class ProblemReader
{
    private const int MaxDetailChars = 500;

    public static async Task<CordonProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Parse(status, response.ReasonPhrase, response.Content.Headers.ContentType, body);
    }

    public static CordonProblem Parse(int status, string? reasonPhrase, MediaTypeHeaderValue? contentType, byte[] body)
    {
        if (LooksLikeJson(contentType, body) && TryParseJson(status, body) is { } problem)
        {
            return problem;
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        return new CordonProblem
        {
            Status = status,
            Title = string.IsNullOrEmpty(reasonPhrase) ? $"HTTP {status}" : reasonPhrase,
            Detail = text.Length == 0 ? null : text.Length > MaxDetailChars ? text[..MaxDetailChars] + "…" : text,
        };
    }

    private static bool LooksLikeJson(MediaTypeHeaderValue? contentType, byte[] body) =>
        contentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
        || (body.Length > 0 && body.AsSpan().TrimStart(" \t\r\n"u8) is [(byte)'{', ..]);

    private static CordonProblem? TryParseJson(int status, byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new CordonProblem
            {
                Type = GetString(root, "type"),
                Title = GetString(root, "title"),
                Status = root.TryGetProperty("status", out var s) && s.TryGetInt32(out var parsed) ? parsed : status,
                Detail = GetString(root, "detail"),
                Instance = GetString(root, "instance"),
                Errors = GetErrors(root),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, IReadOnlyList<string>> GetErrors(JsonElement root)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!root.TryGetProperty("errors", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return errors;
        }

        foreach (var field in element.EnumerateObject())
        {
            errors[field.Name] = field.Value.ValueKind switch
            {
                JsonValueKind.Array => [.. field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : m.GetRawText())],
                JsonValueKind.String => [field.Value.GetString() ?? ""],
                _ => [field.Value.GetRawText()],
            };
        }

        return errors;
    }
}
