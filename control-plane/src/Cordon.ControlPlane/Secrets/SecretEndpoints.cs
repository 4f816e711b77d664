using Cordon.Contracts.Secrets;
using Cordon.ControlPlane.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cordon.ControlPlane.Secrets;

/// <summary><c>/v1/secrets</c>: the caller's tenant's secrets (scope <c>secrets:write</c>); values go in, never out.</summary>
internal static class SecretEndpoints
{
    public static IEndpointRouteBuilder MapSecrets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/secrets").WithTags("Secrets").RequireAuthorization(Scopes.SecretsWrite);
        group.MapPut("/{name}", PutAsync).WithName("PutSecret");
        group.MapGet("", ListAsync).WithName("ListSecrets");
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteSecret");
        app.MapPost("/v1/admin/secrets/rotate-master-key", RotateAsync).WithTags("Secrets").WithName("RotateMasterKey").RequireAuthorization(Scopes.Admin);
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
