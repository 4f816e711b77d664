using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordon.Contracts.Secrets;

/// <summary>
/// Reads a <see cref="SecretRequest"/> from a bare name or an object with <c>name</c>, <c>env</c>, <c>file</c> and
/// <c>mode</c> (any other member is refused); writes the short form when it says everything.
/// </summary>
public sealed class SecretRequestJsonConverter : JsonConverter<SecretRequest>
{
    public override SecretRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new SecretRequest { Name = reader.GetString()! };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A secret is a name or an object { \"name\", \"env\", \"file\", \"mode\" }.");
        }

        string? name = null;
        string? mode = null;
        bool? env = null;
        bool? file = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var member = reader.GetString();
            reader.Read();
            switch (member)
            {
                case "name":
                    name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("'name' must be a string.");
                    break;
                case "mode":
                    mode = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("'mode' must be a string.");
                    break;
                case "env":
                    env = reader.TokenType is JsonTokenType.True or JsonTokenType.False ? reader.GetBoolean() : throw new JsonException("'env' must be true or false.");
                    break;
                case "file":
                    file = reader.TokenType is JsonTokenType.True or JsonTokenType.False ? reader.GetBoolean() : throw new JsonException("'file' must be true or false.");
                    break;
                default:
                    throw new JsonException($"'{member}' is not a member of a secret request (name, env, file, mode).");
            }
        }

        return new SecretRequest
        {
            Name = name ?? throw new JsonException("A secret object needs its 'name'."),
            Env = env,
            File = file,
            Mode = mode,
        };
    }

    public override void Write(Utf8JsonWriter writer, SecretRequest value, JsonSerializerOptions options)
    {
        if (value.IsShortForm)
        {
            writer.WriteStringValue(value.Name);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        if (value.Env is { } env)
        {
            writer.WriteBoolean("env", env);
        }

        if (value.File is { } file)
        {
            writer.WriteBoolean("file", file);
        }

        if (value.Mode is { } mode)
        {
            writer.WriteString("mode", mode);
        }

        writer.WriteEndObject();
    }
}
