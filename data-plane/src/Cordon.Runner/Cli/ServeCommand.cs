using Cordon.Runner.Grpc;
using Cordon.Runner.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cordon.Runner.Cli;

/// <summary><c>cordon-runner serve</c>: the gRPC server, h2c on 127.0.0.1:7070 unless <c>--urls</c>/Kestrel config say otherwise.</summary>
internal static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:7070";

    public static async Task<int> RunAsync(string[] args)
    {
        var app = Build(args);
        await app.RunAsync();
        return ExitCodes.Ok;
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (builder.Configuration["urls"] is null && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // gRPC without TLS needs HTTP/2 with prior knowledge (h2c); /healthz and /readyz speak it too.
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        builder.AddRunner();
        builder.AddRunnerGrpc();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapRunner();
        return app;
    }
}
