using Cordon.Audit;
using Cordon.Contracts.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cordon.ControlPlane.Audit;

/// <summary>
/// <c>/v1/audit</c>: the audit records (scope <c>audit:read</c>: the caller's tenant; <c>admin</c>: every tenant)
/// and <c>/v1/audit/verify</c>, the chain recomputed from the segment files (<c>admin</c>).
/// </summary>
internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/audit").WithTags("Audit");
        group.MapGet("", ListAsync).WithName("ListAudit").RequireAuthorization(Scopes.AuditRead)
            .WithSummary("Page the audit records: the caller's tenant, or every tenant for admin").ProducesProblems(400);
        group.MapGet("/verify", VerifyAsync).WithName("VerifyAudit").RequireAuthorization(Scopes.Admin)
            .WithSummary("Recompute the audit hash chain from the segment files and name the first broken record");
        return app;
    }

    private static async Task<Ok<AuditPage>> ListAsync(
        string? from, string? to, string? action, string? limit, string? cursor, AuditReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ListAsync(AuditQuery.Parse(from, to, action, limit, cursor), cancellationToken));

    private static async Task<Ok<AuditVerification>> VerifyAsync(AuditLog log, CancellationToken cancellationToken)
    {
        // The head first: records appended while the files are read are not the check's business.
        var head = log.Head;
        return TypedResults.Ok(await AuditChainVerifier.VerifyAsync(log.Directory, head.Seq, cancellationToken));
    }
}
