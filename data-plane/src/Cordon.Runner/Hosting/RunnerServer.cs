using Cordon.Runner.Configuration;
using Cordon.Runner.Grpc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cordon.Runner.Hosting;

/// <summary><c>cordon-runner serve</c>: the gRPC server (h2c, loopback by default) with health endpoints.</summary>
internal static class RunnerServer
{
    private const string DefaultUrl = "http://127.0.0.1:7070";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var socket = builder.Configuration[$"{RunnerOptions.SectionName}:Socket"];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2);
            if (!string.IsNullOrEmpty(socket))
            {
                UnixSocketListener.Listen(kestrel, socket);
            }
        });
        builder.Services.AddOptions<RunnerOptions>().Bind(builder.Configuration.GetSection(RunnerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ServiceTokenInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ServiceTokenInterceptor>();
            grpc.MaxReceiveMessageSize = 96 * 1024 * 1024;
            grpc.MaxSendMessageSize = 96 * 1024 * 1024;
        });

        var options = builder.Configuration.GetSection(RunnerOptions.SectionName).Get<RunnerOptions>() ?? new RunnerOptions();
        using var loggers = LoggerFactory.Create(logging => logging.AddConsole().AddConfiguration(builder.Configuration.GetSection("Logging")));
        var services = await RunnerServices.CreateAsync(options, loggers, CancellationToken.None);
        builder.Services.AddSingleton(services.Sandboxes).AddSingleton(services.Executor).AddSingleton(services.Jobs)
            .AddSingleton(services.Info).AddSingleton(services.Token);

        var app = builder.Build();
        app.MapGrpcService<RunnerGrpcService>();
        app.MapGet("/healthz", () => TypedResults.Ok("alive"));
        app.MapGet("/readyz", () => TypedResults.Ok(new { ready = true, active = services.Sandboxes.Active, capacity = services.Sandboxes.Capacity }));
        try
        {
            await app.RunAsync();
        }
        finally
        {
            await services.DisposeAsync();
        }

        return 0;
    }
}
