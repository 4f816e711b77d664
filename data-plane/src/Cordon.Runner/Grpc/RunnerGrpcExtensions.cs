using Cordon.Runner.Hosting;
using Cordon.Runner.Sandboxes;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.Grpc;

internal static class RunnerGrpcExtensions
{
    public static WebApplicationBuilder AddRunnerGrpc(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => ServiceToken.Resolve(sp.GetRequiredService<IOptions<RunnerOptions>>().Value, builder.Environment.IsDevelopment()));
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<ServiceTokenInterceptor>();
            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.MaxReceiveMessageSize = 128 * 1024 * 1024;
            o.MaxSendMessageSize = 128 * 1024 * 1024;
        });
        return builder;
    }

    public static WebApplication MapRunner(this WebApplication app)
    {
        // Resolve now so a missing token stops start-up instead of failing the first call.
        app.Services.GetRequiredService<ServiceToken>();
        app.MapGrpcService<RunnerGrpcService>();
        app.MapGet("/healthz", () => TypedResults.Ok("ok"));
        app.MapGet("/readyz", (SandboxManager sandboxes) => sandboxes.IsReady
            ? Results.Ok("ready")
            : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Runner not ready"));
        return app;
    }
}
