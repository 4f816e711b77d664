using System.Reflection;
using Cordon.Contracts.Service;
using Cordon.ControlPlane.Auth;
using Cordon.Observability;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Service;

internal static class ServiceEndpoints
{
    public static IEndpointRouteBuilder MapService(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Service").AllowAnonymous();
        app.MapGet("/readyz", ReadyAsync).WithTags("Service").AllowAnonymous();
        app.MapGet("/v1/info", Info).WithTags("Service").AllowAnonymous().WithName("GetServiceInfo").WithSummary("The service's version and environment (no token needed)");
        return app;
    }

    private static Ok<ServiceInfo> Info(IHostEnvironment environment, IOptions<AuthOptions> auth) => TypedResults.Ok(new ServiceInfo
    {
        Version = typeof(ServiceEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0",
        Environment = environment.EnvironmentName,
        AuthBypass = auth.Value.Bypass,
    });

    private static async Task<Results<Ok<string>, ProblemHttpResult>> ReadyAsync(Readiness readiness, CancellationToken cancellationToken)
    {
        var failed = await readiness.FailedChecksAsync(cancellationToken);
        if (failed.Count == 0)
        {
            return TypedResults.Ok("ready");
        }

        return NotReadyProblem.For(failed);
    }
}
