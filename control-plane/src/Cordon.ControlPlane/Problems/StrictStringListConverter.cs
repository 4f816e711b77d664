using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// Lists of strings in requests (<c>args</c>, <c>artifacts</c>, …): every element must be a string. The serializer
/// does not apply nullability annotations to collection elements, so <c>[null]</c> would reach the services.
/// </summary>
internal sealed class StrictStringListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonMemberException("", "must be an array of strings");
        }

        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(StrictStrings.Read(ref reader, $"[{items.Count}]"));
        }

        return items;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
