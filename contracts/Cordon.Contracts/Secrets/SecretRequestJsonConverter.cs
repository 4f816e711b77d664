using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordon.Contracts.Secrets;

/// <summary>
/// Reads a <see cref="SecretRequest"/> from a bare name or an object with <c>name</c>, <c>env</c>, <c>file</c>,
/// <c>mode</c> and <c>hosts</c> (any other member is refused); writes the short form when it says everything.
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
            throw new JsonException("A secret is a name or an object { \"name\", \"env\", \"file\", \"mode\", \"hosts\" }.");
        }

        string? name = null;
        string? mode = null;
        bool? env = null;
        bool? file = null;
        List<string>? hosts = null;
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
                case "hosts":
                    hosts = ReadHosts(ref reader);
                    break;
                default:
                    throw new JsonException($"'{member}' is not a member of a secret request (name, env, file, mode, hosts).");
            }
        }

        return new SecretRequest
        {
            Name = name ?? throw new JsonException("A secret object needs its 'name'."),
            Env = env,
            File = file,
            Mode = mode,
            Hosts = hosts,
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

        if (value.Hosts is { } hosts)
        {
            writer.WriteStartArray("hosts");
            foreach (var host in hosts)
            {
                writer.WriteStringValue(host);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static List<string> ReadHosts(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("'hosts' must be an array of \"host:port\" strings.");
        }

        var hosts = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            hosts.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("'hosts' must be an array of \"host:port\" strings."));
        }

        return hosts;
    }
}
