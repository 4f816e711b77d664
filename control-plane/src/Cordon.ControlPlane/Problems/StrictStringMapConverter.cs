using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// String maps in requests (<c>env</c>): every value must be a string and every key appear once. The serializer
/// does not apply nullability annotations to dictionary values, so <c>{"A": null}</c> would reach the services.
/// </summary>
internal sealed class StrictStringMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonMemberException("", "must be an object whose values are strings");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = StrictStrings.ReadKey(ref reader, map.Count);
            var segment = JsonMemberException.KeySegment(key);
            reader.Read();
            if (!map.TryAdd(key, StrictStrings.Read(ref reader, segment)))
            {
                throw new JsonMemberException(segment, "is given more than once");
            }
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WriteString(key, item);
        }

        writer.WriteEndObject();
    }
}
