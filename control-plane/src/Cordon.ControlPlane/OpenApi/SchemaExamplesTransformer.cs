using System.Net.ServerSentEvents;
using System.Text.Json;
using Cordon.Contracts.Json;
using Cordon.Contracts.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cordon.ControlPlane.OpenApi;

/// <summary>
/// Examples on the contracts' schemas, each the serialised form of a real contract value (<see cref="ContractExamples"/>),
/// so an example cannot drift from the wire; and the schemas the generator cannot see through a custom converter or
/// gets wrong for the wire: <see cref="SecretRequest"/> (a bare name or an object), the strict string lists and maps,
/// problem details (open to extension members such as <c>traceId</c>), a policy document, an event stream.
/// </summary>
internal sealed class SchemaExamplesTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(SecretRequest))
        {
            SecretRequestSchema.Describe(schema);
        }
        else if (type == typeof(IReadOnlyList<string>))
        {
            schema.Type = JsonSchemaType.Array;
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        else if (type == typeof(IReadOnlyDictionary<string, string>))
        {
            schema.Type = JsonSchemaType.Object;
            schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        else if (type == typeof(JsonElement))
        {
            schema.Type = JsonSchemaType.Object;
            schema.Description ??= "A tenant policy document (docs/POLICY.md).";
        }
        else if (type == typeof(ProblemDetails) || type == typeof(HttpValidationProblemDetails))
        {
            // RFC 9457 problems carry extension members: traceId always, rules/policyVersion, quota/limit, usedBytes/limitBytes.
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = null;
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, to find it in the server log." };
        }
        else if (type == typeof(SseItem<string>))
        {
            schema.Type = JsonSchemaType.String;
            schema.Properties = null;
            schema.AdditionalPropertiesAllowed = true;
            schema.Description = "Server-sent events: `id: N`, `event: stdout|stderr|status|result`, `data:` JSON ({data}, {status, error}, the Job).";
        }

        if (context.JsonPropertyInfo is null && ContractExamples.For(type) is { } example)
        {
            schema.Examples = [JsonSerializer.SerializeToNode(example, CordonJsonContext.Default.GetTypeInfo(type)!)!];
        }

        return Task.CompletedTask;
    }
}
