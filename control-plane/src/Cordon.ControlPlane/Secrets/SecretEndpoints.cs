using Cordon.Contracts.Secrets;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cordon.ControlPlane.Secrets;

/// <summary><c>/v1/secrets</c>: the caller's tenant's secrets (scope <c>secrets:write</c>); values go in, never out.</summary>
internal static class SecretEndpoints
{
    public static IEndpointRouteBuilder MapSecrets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/secrets").WithTags("Secrets").RequireAuthorization(Scopes.SecretsWrite);
        group.MapPut("/{name}", PutAsync).WithName("PutSecret")
            .WithSummary("Set a secret of the caller's tenant (stored encrypted; never returned)")
            .ProducesProblems(400, 413, 501, 503);
        group.MapGet("", ListAsync).WithName("ListSecrets").WithSummary("List the tenant's secrets: names and times, never values").ProducesProblems(501);
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteSecret").WithSummary("Delete a secret").ProducesProblems(400, 404, 501);
        app.MapPost("/v1/admin/secrets/rotate-master-key", RotateAsync).WithTags("Secrets").WithName("RotateMasterKey").RequireAuthorization(Scopes.Admin)
            .WithSummary("Re-wrap every secret under a new master key").ProducesProblems(501, 503);
        return app;
    }

    private static async Task<NoContent> PutAsync(string name, PutSecretRequest request, SecretsAdmin admin, CancellationToken cancellationToken)
    {
        await admin.PutAsync(name, request, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<SecretInfo>>> ListAsync(SecretsAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.ListAsync(cancellationToken));

    private static async Task<NoContent> DeleteAsync(string name, SecretsAdmin admin, CancellationToken cancellationToken)
    {
        await admin.DeleteAsync(name, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MasterKeyRotation>> RotateAsync(MasterKeyRotator rotator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rotator.RotateAsync(cancellationToken));
}
