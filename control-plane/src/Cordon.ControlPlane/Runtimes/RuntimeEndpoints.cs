using Cordon.Contracts.Runtimes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cordon.ControlPlane.Runtimes;

internal static class RuntimeEndpoints
{
    public static RouteGroupBuilder MapRuntimes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/runtimes").WithTags("Runtimes").RequireAuthorization();
        group.MapGet("", List).WithName("ListRuntimes").WithSummary("The languages this deployment runs, with versions and aliases");
        return group;
    }

    private static Ok<IReadOnlyList<RuntimeInfo>> List(RuntimeCatalog catalog) => TypedResults.Ok(catalog.List());
}
