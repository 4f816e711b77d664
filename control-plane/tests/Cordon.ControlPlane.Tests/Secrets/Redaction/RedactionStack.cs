using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Secrets.Redaction;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Policy;
using Cordon.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cordon.ControlPlane.Tests.Secrets.Redaction;

/// <summary>
/// A real <c>cordon-runner</c> (real runc sandboxes, from <c>bin/</c>) and the control plane on Kestrel over real HTTP,
/// whose one difference from production is the secret source: <see cref="FixedSecretValues"/> gives every job and
/// session of tenant <see cref="Tenant"/> the value <see cref="Value"/> through <see cref="ISecretValueSource"/>, the
/// seam the secret store implements. Everything the control plane logs and audits is recorded for the tests to search.
/// </summary>
public sealed class RedactionStack : IAsyncLifetime
{
    public const string Tenant = "redaction";
    public const string SecretName = "API_TOKEN";

    /// <summary>Spaces, '+', '/', '%' and a multi-byte character: every encoding has something to do.</summary>
    public const string Value = "Zq7+sk/LIVE%9x é-ToKeN_42";

    private const string ServiceToken = "redaction-service-token-of-at-least-32-bytes";
    private readonly string _dataDir = TraversableTempDirectory.Create("cordon-redaction-");
    private ChildProcess? _runner;
    private ControlPlaneFactory? _factory;

    internal RecordingAuditSink Audit { get; } = new();

    internal RecordingLoggerProvider Logs { get; } = new();

    internal FixedSecretValues Secrets { get; } = new(Tenant, new Dictionary<string, string> { [SecretName] = Value });

    internal ControlPlaneFactory Factory => _factory!;

    public async ValueTask InitializeAsync()
    {
        var runnerUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var info = ChildProcess.CreateStartInfo(Path.Combine(RepoPaths.Bin, "cordon-runner"), [
            "serve", "--urls", runnerUrl,
            $"--Cordon:Runner:DataDir={Path.Combine(_dataDir, "runner")}",
            $"--Cordon:Runner:ServiceToken={ServiceToken}",
            $"--Cordon:Runner:InitPath={RepoPaths.InitBinary}",
            // A uid range of its own, away from the other runners tests start on this machine.
            "--Cordon:Runner:UidBase=52000000",
            "--Cordon:Runner:Capacity=8",
        ]);
        info.Environment["CORDON_DATA_DIR"] = _dataDir;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        _runner = ChildProcess.Start(info);

        var port = FreePort.Next();
        _factory = new ControlPlaneFactory(
            runner: null,
            new Dictionary<string, string?>
            {
                ["urls"] = $"http://127.0.0.1:{port}",
                ["Cordon:Runners:0:Id"] = "real",
                ["Cordon:Runners:0:Url"] = runnerUrl,
                ["Cordon:Runners:0:Token"] = ServiceToken,
            },
            configureServices: services =>
            {
                // Test-only: production registers no source until the secret store lands.
                services.AddSingleton<ISecretValueSource>(Secrets);
                services.Replace(ServiceDescriptor.Singleton<IAuditSink>(Audit));
                services.AddSingleton<ILoggerProvider>(Logs);
                services.Configure<LoggerFilterOptions>(options => options.MinLevel = LogLevel.Trace);
            });
        _factory.UseKestrel(port);
        _factory.StartServer();

        var registry = _factory.Services.GetRequiredService<RunnerRegistry>();
        var monitor = _factory.Services.GetRequiredService<RunnerHealthMonitor>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!registry.All.All(r => r.IsUp))
        {
            if (_runner.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The runner did not come up.\n{_runner.Tail()}");
            }

            await monitor.CheckAllAsync(TestContext.Current.CancellationToken);
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A client of the Kestrel server (real HTTP) with a token of <see cref="Tenant"/>.</summary>
    public HttpClient Client()
    {
        var client = Factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(90);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(Tenant, TestTokens.AllScopes));
        return client;
    }

    public string RunnerDiagnostics() => _runner?.Tail() ?? "";

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_runner is not null)
        {
            await _runner.DisposeAsync();
        }

        TraversableTempDirectory.TryDelete(_dataDir);
    }

    /// <summary>Gives every job and session of one tenant the same values, and records what it was asked for.</summary>
    internal sealed class FixedSecretValues(string givenTo, IReadOnlyDictionary<string, string> values) : ISecretValueSource
    {
        public ConcurrentQueue<string> Owners { get; } = new();

        public ValueTask<IReadOnlyDictionary<string, string>> GetValuesAsync(string tenant, string ownerId, IReadOnlyList<string> names, CancellationToken cancellationToken)
        {
            Owners.Enqueue(ownerId);
            return ValueTask.FromResult(tenant == givenTo ? values : new Dictionary<string, string>());
        }
    }
}
