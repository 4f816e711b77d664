using System.Text.Json;
using Cordon.Contracts.Policy;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cordon.ControlPlane.Policy;

/// <summary><c>/v1/admin/tenants/{tenant}/policy</c>: an operator's view of every tenant's policy (scope <c>admin</c>).</summary>
internal static class PolicyEndpoints
{
    public static RouteGroupBuilder MapPolicy(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/tenants/{tenant}/policy").WithTags("Policy").RequireAuthorization(Scopes.Admin);
        group.MapGet("", GetAsync).WithName("GetTenantPolicy")
            .WithSummary("Get a tenant's policy document and its version (also the ETag)")
            .ProducesProblems(400);
        group.MapPut("", PutAsync).WithName("PutTenantPolicy")
            .WithSummary("Replace a tenant's policy document")
            .WithDescription("The body is the policy document (docs/POLICY.md); If-Match with the current version makes the change conditional (412 when it is not).")
            .Accepts<JsonElement>("application/json")
            .ProducesProblems(400, 412, 413);
        group.MapGet("/history", HistoryAsync).WithName("GetTenantPolicyHistory").WithSummary("A tenant's policy changes, newest first").ProducesProblems(400);
        return group;
    }

    private static async Task<Ok<TenantPolicy>> GetAsync(string tenant, TenantPolicyAdmin admin, HttpResponse response, CancellationToken cancellationToken)
    {
        var policy = await admin.GetAsync(tenant, cancellationToken);
        response.Headers.ETag = $"\"{policy.Version}\"";
        return TypedResults.Ok(policy);
    }

    private static async Task<Ok<TenantPolicy>> PutAsync(
        string tenant,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpRequest request,
        TenantPolicyAdmin admin,
        CancellationToken cancellationToken)
    {
        var policy = await admin.PutAsync(tenant, request.Body, ifMatch, cancellationToken);
        request.HttpContext.Response.Headers.ETag = $"\"{policy.Version}\"";
        return TypedResults.Ok(policy);
    }

    private static async Task<Ok<TenantPolicyHistory>> HistoryAsync(string tenant, int? limit, TenantPolicyAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.HistoryAsync(tenant, limit, cancellationToken));
}
