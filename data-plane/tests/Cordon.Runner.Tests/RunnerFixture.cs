using System.Runtime.Versioning;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Cli;
using Cordon.Runner.Sandboxes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

[assembly: AssemblyFixture(typeof(Cordon.Runner.Tests.RunnerFixture))]
[assembly: SupportedOSPlatform("linux")]

namespace Cordon.Runner.Tests;

/// <summary>
/// One real runner for the whole assembly: the gRPC server on a free loopback port, real runc, real
/// sandboxes, its own data directory and host id range. Needs root and a built cordon-init (CORDON_INIT_PATH).
/// </summary>
public sealed class RunnerFixture : IAsyncLifetime
{
    public const string Token = "test-service-token";

    private WebApplication? _app;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), $"cordon-rt-{Guid.NewGuid():N}"[..20]);

    public GrpcChannel Channel { get; private set; } = null!;

    public Cordon.Contracts.Runner.V1.Runner.RunnerClient Client { get; private set; } = null!;

    internal SandboxManager Sandboxes => _app!.Services.GetRequiredService<SandboxManager>();

    public static Metadata Auth { get; } = new() { { "authorization", $"Bearer {Token}" } };

    public async ValueTask InitializeAsync()
    {
        _app = ServeCommand.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Cordon:Runner:DataDir={DataDir}",
            $"--Cordon:Runner:ServiceToken={Token}",
            // A host id range of its own, far from other runners on this machine.
            "--Cordon:Runner:UidBase=30000000",
            "--Cordon:Runner:Capacity=32",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Channel = GrpcChannel.ForAddress(address);
        Client = new Cordon.Contracts.Runner.V1.Runner.RunnerClient(Channel);
    }

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover is reported by the destroy tests, not here.
        }
    }
}
