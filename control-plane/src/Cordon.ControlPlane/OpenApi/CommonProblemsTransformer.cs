using Cordon.ControlPlane.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cordon.ControlPlane.OpenApi;

/// <summary>
/// What every authorised operation shares, so no feature has to repeat it: the bearer requirement with the scope the
/// endpoint asks for, and the problems of authentication (401), scope (403) and the request rate (429).
/// </summary>
internal sealed class CommonProblemsTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
        {
            return;
        }

        var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Where(Scopes.All.Contains).ToList();
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(CordonDocumentTransformer.BearerScheme, context.Document)] = scopes,
        });
        if (scopes.Count > 0)
        {
            operation.Description = (operation.Description is null ? "" : operation.Description + "\n\n") + "Scope: `" + string.Join("`, `", scopes) + "`.";
        }

        var problem = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), cancellationToken: cancellationToken);
        context.Document?.AddComponent("ProblemDetails", problem);
        operation.Responses ??= [];
        foreach (var (status, description) in Common)
        {
            operation.Responses.TryAdd(status, new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
                },
            });
        }
    }

    private static readonly (string Status, string Description)[] Common =
    [
        ("401", "No bearer token, or one that does not validate."),
        ("403", "The token lacks the scope this operation needs."),
        ("429", "Over the tenant's request rate; Retry-After says when to try again."),
    ];
}
