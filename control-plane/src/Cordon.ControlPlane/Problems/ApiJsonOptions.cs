using System.Text.Json;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// How /v1 reads request bodies: a null where the contract has no nullable member, a null or non-string inside a
/// string list or map, and a member given twice are refused while binding — with the field named — so no
/// service ever sees them.
/// </summary>
internal static class ApiJsonOptions
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.RespectNullableAnnotations = true;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new StrictStringListConverter());
        options.Converters.Add(new StrictStringMapConverter());
    }
}
