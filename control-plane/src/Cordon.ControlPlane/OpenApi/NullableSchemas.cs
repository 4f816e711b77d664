using Microsoft.OpenApi;

namespace Cordon.ControlPlane.OpenApi;

/// <summary>
/// The generator writes a nullable reference as <c>oneOf: [{type: null}, {$ref}]</c>; when the referenced schema
/// admits null too (a nullable enum, an open schema), both branches match a null and <c>oneOf</c> fails it. A nullable
/// is "either", so it becomes <c>anyOf</c>.
/// </summary>
internal static class NullableSchemas
{
    public static void UseAnyOf(OpenApiDocument document)
    {
        var seen = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            Visit(schema, seen);
        }
    }

    private static void Visit(IOpenApiSchema? candidate, HashSet<IOpenApiSchema> seen)
    {
        if (candidate is not OpenApiSchema schema || !seen.Add(schema))
        {
            return;
        }

        if (schema.OneOf is { Count: 2 } oneOf && oneOf.Any(s => s is OpenApiSchema { Type: JsonSchemaType.Null }))
        {
            schema.AnyOf = oneOf;
            schema.OneOf = null;
        }

        foreach (var property in schema.Properties?.Values ?? [])
        {
            Visit(property, seen);
        }

        Visit(schema.Items, seen);
        Visit(schema.AdditionalProperties, seen);
        foreach (var child in (schema.AnyOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AllOf ?? []))
        {
            Visit(child, seen);
        }
    }
}
