using Cordon.Contracts.Tenants;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>Deleting stored data the crypto-shredding way: one job (its owner, <c>jobs:run</c>) or a whole tenant (<c>admin</c>).</summary>
internal static class DataProtectionEndpoints
{
    public static IEndpointRouteBuilder MapDataProtection(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/v1/jobs/{id}", DeleteJobAsync).WithTags("Jobs").WithName("DeleteJob").RequireAuthorization(Scopes.JobsRun)
            .WithSummary("Delete a finished job with its output and artifacts (its data key is destroyed first)")
            .ProducesProblems(404, 409);
        app.MapDelete("/v1/admin/tenants/{tenant}/data", DeleteTenantDataAsync).WithTags("Tenants").WithName("DeleteTenantData").RequireAuthorization(Scopes.Admin)
            .WithSummary("Delete every job, ended session and secret of a tenant, destroying their data keys")
            .WithDescription("Refused with 409 while the tenant has a job queued or running or a session open. The tenant's policy and its audit records stay.")
            .ProducesProblems(400, 409);
        return app;
    }

    private static async Task<NoContent> DeleteJobAsync(string id, JobDeleter deleter, CancellationToken cancellationToken)
    {
        await deleter.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TenantDataDeletion>> DeleteTenantDataAsync(string tenant, TenantDataAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.DeleteAsync(tenant, cancellationToken));
}
