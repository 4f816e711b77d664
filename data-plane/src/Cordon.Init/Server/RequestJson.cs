using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Server;

/// <summary>
/// Deserializes a request, turning every way its JSON can be wrong into a message in the protocol's terms. The
/// agent is built with resource keys instead of exception texts, so messages are worked out from the JSON itself
/// and the contract's metadata, never from the serializer's exception.
/// </summary>
internal static class RequestJson
{
    private static readonly JsonTypeInfo<AgentRequest> Info = AgentJsonContext.Default.AgentRequest;

    public static AgentRequest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, Info) ?? throw new BadAgentRequestException("the request must be a JSON object, not null");
        }
        catch (JsonException e) when (e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal))
        {
            throw new BadAgentRequestException($"request member {path[2..]} is malformed (wrong JSON type or invalid value)");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new BadAgentRequestException(Explain(json));
        }
    }

    /// <summary>Why a request the serializer refused is wrong, found by reading it as a plain JSON document.</summary>
    private static string Explain(ReadOnlySpan<byte> json)
    {
        var types = Info.PolymorphismOptions?.DerivedTypes ?? [];
        var known = string.Join(", ", types.Select(t => t.TypeDiscriminator));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException)
        {
            return "the request is not valid JSON (a JSON object is expected)";
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return $"the request must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}";
            }

            var first = root.EnumerateObject().FirstOrDefault();
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return $"the request needs a string \"type\" member, one of {known}";
            }

            var derived = types.FirstOrDefault(t => t.TypeDiscriminator as string == type.GetString());
            if (derived.DerivedType is null)
            {
                return $"unknown request type \"{type.GetString()}\": one of {known}";
            }

            if (first.Name != "type")
            {
                return "\"type\" must be the request's first member";
            }

            var missing = AgentJsonContext.Default.GetTypeInfo(derived.DerivedType)?.Properties
                .Where(p => p.IsRequired && (!root.TryGetProperty(p.Name, out var value) || value.ValueKind == JsonValueKind.Null))
                .Select(p => p.Name).ToList() ?? [];
            return missing.Count > 0
                ? $"the {type.GetString()} request is missing required members: {string.Join(", ", missing)}"
                : $"the {type.GetString()} request is malformed (a member given twice, or a value out of range)";
        }
    }
}
