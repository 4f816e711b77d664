using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Cordon.ControlPlane.OpenApi;

/// <summary>A secret asked for by a job or session: a bare name (an environment variable) or the long form.</summary>
internal static class SecretRequestSchema
{
    private const string NamePattern = "^[A-Z_][A-Z0-9_]{0,63}$";

    public static void Describe(OpenApiSchema schema)
    {
        schema.Description = "A secret by name: \"API_TOKEN\" (the environment variable API_TOKEN) or an object that also (or only) " +
            "writes the file /run/secrets/NAME. mode \"proxy\" with hosts: a secret that never enters the sandbox — the variable holds a random " +
            "placeholder, which the runner's egress proxy replaces with the value in request headers to those hosts only (they join network.egress, " +
            "so the tenant's policy must allow them).";
        schema.OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = NamePattern },
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "name" },
                AdditionalPropertiesAllowed = false,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["name"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = NamePattern },
                    ["env"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "As the environment variable name; default true." },
                    ["file"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "As the file /run/secrets/NAME (tmpfs, 0400); default false." },
                    ["mode"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("env"), JsonValue.Create("proxy")] },
                    ["hosts"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Items = new OpenApiSchema { Type = JsonSchemaType.String },
                        Description = "With mode proxy (required there, nowhere else): the host:port destinations whose request headers get the value.",
                    },
                },
            },
        ];
    }
}
