using Cordon.Logging;
using Cordon.Observability;
using Cordon.Runner.Configuration;
using Cordon.Runner.Grpc;
using Cordon.Runner.Observability;
using Cordon.Runner.Sandboxes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cordon.Runner.Hosting;

/// <summary><c>cordon-runner serve</c>: the gRPC server (h2c, loopback by default) with health endpoints.</summary>
internal static class RunnerServer
{
    private const string DefaultUrl = "http://127.0.0.1:7070";

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCordonLogging();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var socket = builder.Configuration[$"{RunnerOptions.SectionName}:Socket"];
        var metricsUrl = builder.Configuration[$"{RunnerOptions.SectionName}:{nameof(RunnerOptions.MetricsUrl)}"];
        var grpcUrls = (builder.Configuration["urls"] is { Length: > 0 } urls ? urls : builder.Configuration["ASPNETCORE_URLS"] is { Length: > 0 } env ? env : DefaultUrl)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2);
            // The minimum data rates guard a public server against slow clients by aborting the whole connection,
            // and with it every call multiplexed on it. The runner's only clients hold the service token (control-
            // plane replicas, which bound their own calls with deadlines); a busy one that reads or sends a little
            // late must not lose every call on the connection (512 concurrent destroys on a loaded 2-core host did).
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            if (!string.IsNullOrEmpty(socket))
            {
                UnixSocketListener.Listen(kestrel, socket);
            }

            if (!string.IsNullOrEmpty(metricsUrl))
            {
                RunnerListeners.Listen(kestrel, grpcUrls, metricsUrl, grpcOnSocket: !string.IsNullOrEmpty(socket));
            }
        });
        builder.AddCordonTelemetry("cordon-runner", RunnerMetrics.MeterName, RunnerTelemetry.SourceName);
        builder.Services.AddSingleton<RunnerReadiness>();
        builder.AddRunner();
        builder.Services.AddSingleton<ServiceTokenInterceptor>();
        builder.Services.AddSingleton<RpcErrorInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ServiceTokenInterceptor>();
            grpc.Interceptors.Add<RpcErrorInterceptor>();
            grpc.MaxReceiveMessageSize = 96 * 1024 * 1024;
            grpc.MaxSendMessageSize = 96 * 1024 * 1024;
        });

        await using var app = builder.Build();
        app.MapGrpcService<RunnerGrpcService>();
        app.MapGet("/healthz", () => TypedResults.Ok("alive"));
        app.MapGet("/readyz", Ready);
        app.MapCordonMetrics();
        try
        {
            await app.StartAsync();
            // After start: resolving the sandbox manager validates the options, which StartAsync reports.
            RunnerMetrics.Observe(app.Services.GetRequiredService<SandboxManager>());
        }
        catch (Exception e)
        {
            var (exitCode, message) = StartupFailure.Describe(e);
            await error.WriteLineAsync($"cordon-runner: {message}");
            return exitCode;
        }

        // Stopping disposes the container, and with it the sandbox manager: every live sandbox is destroyed.
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static Results<Ok<RunnerReady>, ProblemHttpResult> Ready(RunnerReadiness readiness, SandboxManager sandboxes)
    {
        var failed = readiness.FailedChecks();
        if (failed.Count == 0)
        {
            return TypedResults.Ok(new RunnerReady(true, sandboxes.Active, sandboxes.Capacity));
        }

        return NotReadyProblem.For(failed);
    }
}
