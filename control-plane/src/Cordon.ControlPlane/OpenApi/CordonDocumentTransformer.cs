using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cordon.ControlPlane.OpenApi;

/// <summary>
/// The document's title and version, and the bearer scheme every authorised operation names. No <c>servers</c>: the
/// document is the same wherever it is served from, so the checked-in copy can be compared byte for byte.
/// </summary>
internal sealed class CordonDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Cordon API",
            Version = "v1",
            Description = "Sandboxed code execution: one-shot jobs and stateful sessions, tenant policy and secrets. " +
                "Errors are RFC 9457 problem details (application/problem+json). The contract in prose: docs/API.md.",
        };
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT naming the tenant (claim tenant) and its scopes (claim scope: jobs:run, sessions:use, files:rw, secrets:write, admin); `cordon token` mints one for the dev key.",
        };
        NullableSchemas.UseAnyOf(document);
        return Task.CompletedTask;
    }
}
