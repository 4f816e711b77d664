using System.Text.Json;

namespace Cordon.ControlPlane.Problems;

/// <summary>Reads one string token for the strict converters, refusing other tokens and invalid text by member.</summary>
internal static class StrictStrings
{
    public static string Read(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonMemberException(member, "must be a string");
        }

        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON but no valid text.
            throw new JsonMemberException(member, "must be valid Unicode text (it holds a lone surrogate)");
        }
    }

    public static string ReadKey(ref Utf8JsonReader reader, int index)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonMemberException($"[key {index}]", "must be valid Unicode text (it holds a lone surrogate)");
        }
    }
}
