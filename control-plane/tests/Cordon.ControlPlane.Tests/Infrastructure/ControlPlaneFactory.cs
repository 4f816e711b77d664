using System.Net.Http.Headers;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Tests.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cordon.ControlPlane.Tests.Infrastructure;

/// <summary>
/// The control plane in-process (TestServer) over a fresh data directory, pointed at a <see cref="FakeRunnerHost"/>.
/// Each test class owns one; nothing is shared between classes.
/// </summary>
internal sealed class ControlPlaneFactory(
    FakeRunnerHost? runner,
    IReadOnlyDictionary<string, string?>? settings = null,
    TimeProvider? timeProvider = null,
    Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    public string DataDir { get; } = Directory.CreateTempSubdirectory("cordon-cp-test-").FullName;

    public static async Task<(ControlPlaneFactory Factory, FakeRunnerHost Runner)> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null, Action<IServiceCollection>? configureServices = null)
    {
        var runner = await FakeRunnerHost.StartAsync(TestContext.Current.CancellationToken);
        var factory = new ControlPlaneFactory(runner, settings, timeProvider, configureServices);
        await factory.WaitForRunnerAsync();
        return (factory, runner);
    }

    public HttpClient ClientFor(string tenant = "acme", string scopes = TestTokens.AllScopes)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(tenant, scopes));
        return client;
    }

    public async Task WaitForRunnerAsync()
    {
        var registry = Services.GetRequiredService<RunnerRegistry>();
        var monitor = Services.GetRequiredService<RunnerHealthMonitor>();
        for (var i = 0; i < 100 && !registry.All.All(r => r.IsUp); i++)
        {
            await monitor.CheckAllAsync(TestContext.Current.CancellationToken);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Cordon:DataDir", DataDir);
        builder.UseSetting("Cordon:Auth:Issuer", TestTokens.Issuer);
        builder.UseSetting("Cordon:Auth:Audience", TestTokens.Audience);
        builder.UseSetting("Cordon:Auth:SigningKeys:0:Kid", "test");
        builder.UseSetting("Cordon:Auth:SigningKeys:0:Key", TestTokens.Key);
        builder.UseSetting("Cordon:Scheduling:HealthIntervalSeconds", "0.2");
        if (runner is not null)
        {
            builder.UseSetting("Cordon:Runners:0:Id", "fake");
            builder.UseSetting("Cordon:Runners:0:Url", runner.Url);
            builder.UseSetting("Cordon:Runners:0:Token", runner.State.Token);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (timeProvider is not null)
        {
            builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(timeProvider)));
        }

        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: SQLite may still hold a handle for a moment.
        }
    }
}
