using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordon.ControlPlane.Tests.Fakes;

/// <summary>Hosts <see cref="FakeRunner"/> on a free loopback port (h2c), like a real runner.</summary>
internal sealed class FakeRunnerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeRunnerHost(WebApplication app, FakeRunnerState state, string url)
    {
        _app = app;
        State = state;
        Url = url;
    }

    public FakeRunnerState State { get; }

    public string Url { get; }

    public static async Task<FakeRunnerHost> StartAsync(CancellationToken cancellationToken)
    {
        var state = new FakeRunnerState();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<FakeRunner>();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeRunnerHost(app, state, address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
