using System.Text.Json;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// A member inside a value the serializer hands to one of our converters is wrong (<c>env.A</c> is null). The
/// serializer fills <see cref="JsonException.Path"/> with the converter's own member (<c>$.env</c>);
/// <see cref="Member"/> is the part below it (<c>.A</c>, <c>[2]</c>), so the problem can name the whole field.
/// </summary>
internal sealed class JsonMemberException(string member, string problem) : JsonException(problem)
{
    public string Member { get; } = member;

    public string Problem { get; } = problem;

    public static string KeySegment(string key) => ApiFieldPath.IsPlainName(key) ? "." + key : $"['{key}']";
}
