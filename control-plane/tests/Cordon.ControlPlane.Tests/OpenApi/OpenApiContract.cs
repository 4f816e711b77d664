using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Cordon.ControlPlane.Tests.OpenApi;

/// <summary>
/// The served OpenAPI document as a checker of real answers: the status must be one the operation documents, the
/// media type one it names, and a JSON body must be valid against the schema (JSON Schema 2020-12, OpenAPI 3.1's
/// dialect; <c>#/components/schemas</c> references resolved as <c>$defs</c>).
/// </summary>
internal sealed class OpenApiContract(JsonObject document)
{
    public static readonly JsonSerializerOptions Written = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string ComponentsPrefix = "#/components/schemas/";

    public JsonObject Document { get; } = document;

    /// <summary>The document as it is checked in: indented, readable escapes, one newline at the end.</summary>
    public static string Normalise(string served) => JsonNode.Parse(served)!.ToJsonString(Written) + "\n";

    public static async Task<OpenApiContract> LoadAsync(HttpClient client)
    {
        var text = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        return new OpenApiContract(JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>The operation's answer for <paramref name="response"/>'s status, its body checked; returns the body.</summary>
    public async Task<string> CheckAsync(HttpResponseMessage response, string template)
    {
        var method = response.RequestMessage!.Method.Method.ToLowerInvariant();
        var operation = Document["paths"]?[template]?[method]
            ?? throw new Xunit.Sdk.XunitException($"The document has no operation {method} {template}.");
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = operation["responses"]?[status]
            ?? throw new Xunit.Sdk.XunitException($"{method} {template} answered {status}, which the document does not list.");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (body.Length == 0)
        {
            return body;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var content = answer["content"]?.AsObject();
        var media = content?[mediaType]
            ?? throw new Xunit.Sdk.XunitException($"{method} {template} {status} answered {mediaType}; the document names [{string.Join(", ", content?.Select(c => c.Key) ?? [])}].");
        if (IsJson(response.Content.Headers.ContentType) && media["schema"] is { } schema)
        {
            AssertValid(schema, JsonDocument.Parse(body).RootElement, $"{method} {template} {status}");
        }

        return body;
    }

    /// <summary>Fails with every error when <paramref name="instance"/> is not valid against <paramref name="schema"/>.</summary>
    public void AssertValid(JsonNode schema, JsonElement instance, string what)
    {
        var root = Rewrite(schema.DeepClone())!.AsObject();
        var defs = new JsonObject();
        foreach (var (name, component) in Document["components"]?["schemas"]?.AsObject() ?? [])
        {
            defs[name] = Rewrite(component!.DeepClone());
        }

        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = defs;
        var built = JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://cordon.test/openapi/{Guid.NewGuid():N}"));
        var result = built.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"));
            throw new Xunit.Sdk.XunitException($"{what}: the body does not match the document's schema:\n  {string.Join("\n  ", errors)}\nbody: {instance.GetRawText()}");
        }
    }

    private static bool IsJson(MediaTypeHeaderValue? type) =>
        type?.MediaType is "application/json" or "application/problem+json";

    private static JsonNode? Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref" && value?.GetValue<string>() is { } reference && reference.StartsWith(ComponentsPrefix, StringComparison.Ordinal))
                    {
                        obj["$ref"] = "#/$defs/" + reference[ComponentsPrefix.Length..];
                    }
                    else
                    {
                        Rewrite(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Rewrite(item);
                }

                break;
        }

        return node;
    }
}
