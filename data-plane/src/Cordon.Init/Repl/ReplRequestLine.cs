using System.Text;
using System.Text.Json;

namespace Cordon.Init.Repl;

/// <summary>The line the agent writes to a REPL driver: <c>{"code": "...", "stdin": "..."}</c>.</summary>
internal static class ReplRequestLine
{
    public static byte[] Encode(string code, byte[]? stdin)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("stdin", stdin is null ? "" : Encoding.UTF8.GetString(stdin));
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>True when the completion line says the code ran without an uncaught error.</summary>
    public static bool IsOk(string completion)
    {
        try
        {
            using var document = JsonDocument.Parse(completion);
            return document.RootElement.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
