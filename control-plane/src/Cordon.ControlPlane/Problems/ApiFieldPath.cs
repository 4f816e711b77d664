using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// Turns a serializer path (<c>$.files[0].path</c>, <c>$['a b']</c>) into the field as the API names it
/// (<c>files[0].path</c>) and finds what the API expects there, from the request type's JSON metadata.
/// </summary>
internal static class ApiFieldPath
{
    public static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>The API field for a serializer path; empty for the body itself.</summary>
    public static string FromJsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }

        var field = new StringBuilder();
        foreach (var segment in Segments(path))
        {
            if (segment.Index is { } index)
            {
                field.Append('[').Append(index).Append(']');
            }
            else
            {
                field.Append(field.Length == 0 ? "" : ".").Append(IsPlainName(segment.Name!) ? segment.Name : $"'{Clip(segment.Name!)}'");
            }
        }

        return field.ToString();
    }

    /// <summary>What the API expects at <paramref name="path"/> in a body of <paramref name="bodyType"/>, e.g. "a string".</summary>
    public static string? ExpectedAt(Type? bodyType, string? path, JsonSerializerOptions options)
    {
        if (bodyType is null || string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            var type = bodyType;
            foreach (var segment in Segments(path))
            {
                var info = options.GetTypeInfo(type);
                type = info.Kind switch
                {
                    JsonTypeInfoKind.Object when segment.Name is { } name => info.Properties
                        .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType,
                    JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary => info.ElementType,
                    _ => null,
                };
                if (type is null)
                {
                    return null;
                }
            }

            return Describe(type, options);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static string Describe(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(int))
        {
            return "a whole number from -2147483648 to 2147483647";
        }

        if (type == typeof(long))
        {
            return "a whole number from -9223372036854775808 to 9223372036854775807";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)));
        }

        return options.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Enumerable => "an array",
            JsonTypeInfoKind.Dictionary => "an object",
            JsonTypeInfoKind.Object => "an object",
            _ => "a different value",
        };
    }

    private static IEnumerable<(string? Name, int? Index)> Segments(string path)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 1)..end], null);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 2)..end], null);
                i = Math.Min(path.Length, end + 2);
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                yield return (null, int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index) ? index : 0);
                i = Math.Min(path.Length, end + 1);
            }
            else
            {
                yield break;
            }
        }
    }

    /// <summary>Names echoed back are capped and printable, whatever the client sent.</summary>
    public static string Clip(string text, int max = 64)
    {
        var clipped = text.Length > max ? text[..max] + "…" : text;
        return string.Concat(clipped.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c));
    }
}
