using System.Net;
using System.Net.Http.Headers;
using Cordon.TestSupport;
using Cordon.TestSupport.Egress;
using Cordon.TestSupport.Packages;

[assembly: AssemblyFixture(typeof(Cordon.EndToEnd.StackFixture))]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Cordon.EndToEnd;

/// <summary>
/// The whole stack as real processes, shared by the REST and the MCP end-to-end tests: one <c>cordon-runner</c>
/// (real runc sandboxes) and one <c>cordon-control</c> in Development on free loopback ports with a temporary data
/// directory. Tokens are minted with the development signing key the control plane wrote there, exactly as
/// <c>cordon token</c> does. Further control planes on the same runner (<see cref="StartBypassControlAsync"/>,
/// <see cref="StartControl"/>) serve the tests that need other settings. The runner resolves names with the DNS
/// server of a test network (<see cref="EgressNetwork"/>), the destinations of the egress tests.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    internal const string ServiceToken = "e2e-service-token-of-at-least-32-bytes";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private readonly List<ChildProcess> _extraControls = [];
    private ChildProcess? _runner;
    private ChildProcess? _control;
    private SigningKey? _devKey;

    // 0711: sandbox processes run as mapped uids and must reach the runner's root filesystem below this directory.
    public string DataDir { get; } = TraversableTempDirectory.Create("cordon-e2e-");

    public Uri BaseAddress { get; private set; } = null!;

    public Uri McpUrl => new(BaseAddress, "/mcp");

    public string RunnerUrl { get; private set; } = "";

    /// <summary>The runner's HTTP/1.1 listener for <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>.</summary>
    public Uri RunnerMetricsUrl { get; private set; } = null!;

    public int ControlPid => _control!.Id;

    public EgressNetwork Network { get; private set; } = null!;

    /// <summary>The package registry the runner installs dependencies from.</summary>
    public TestPackageRegistry Packages { get; } = TestPackageRegistry.WithTestPackages();

    public string ControlOutput => _control!.Output;

    public async ValueTask InitializeAsync()
    {
        RunnerUrl = $"http://127.0.0.1:{FreePort.Next()}";
        RunnerMetricsUrl = FreePort.NextLoopbackUrl();
        var runnerInfo = StackBinaries.Runner([
            "serve", "--urls", RunnerUrl,
            $"--Cordon:Runner:DataDir={Path.Combine(DataDir, "runner")}",
            $"--Cordon:Runner:ServiceToken={ServiceToken}",
            $"--Cordon:Runner:InitPath={StackBinaries.InitPath()}",
            // A uid range of its own, away from other runners on this machine.
            "--Cordon:Runner:UidBase=60000000",
            "--Cordon:Runner:Capacity=16",
            $"--Cordon:Runner:MetricsUrl={RunnerMetricsUrl.ToString().TrimEnd('/')}",
            $"--Cordon:Dependencies:PythonIndexUrl={Packages.PythonIndexUrl}",
            $"--Cordon:Dependencies:NpmRegistryUrl={Packages.NpmRegistryUrl}",
        ]);
        runnerInfo.Environment["CORDON_DATA_DIR"] = DataDir;
        // The OCI runtime under test (scripts/test.sh runs a job under runsc as well as runc).
        if (Environment.GetEnvironmentVariable("CORDON_TEST_OCI_RUNTIME") is { Length: > 0 } runtime)
        {
            runnerInfo.Environment["Cordon__Runner__OciRuntime"] = runtime;
        }

        Network = await EgressNetwork.StartAsync(TestContext.Current.CancellationToken);
        // The proxy verifies the test's HTTPS server when it terminates TLS for a proxy secret.
        runnerInfo.Environment["Cordon__Egress__UpstreamCaFile"] = Network.CaCertificatePath;
        _runner = ChildProcess.Start(Network.WithItsResolver(runnerInfo));

        BaseAddress = FreePort.NextLoopbackUrl();
        _control = StartControl("Development", [
            "--urls", BaseAddress.ToString().TrimEnd('/'),
            "--Cordon:Runners:0:Id=e2e",
            $"--Cordon:Runners:0:Url={RunnerUrl}",
            $"--Cordon:Runners:0:Token={ServiceToken}",
            "--Cordon:Sessions:ReapIntervalSeconds=0.5",
            $"--Cordon:Secrets:MasterKeyFile={CreateMasterKey()}",
        ]);

        await WaitReadyAsync(BaseAddress, _control, TestContext.Current.CancellationToken);
        _devKey = SigningKey.ReadDevKey(DataDir);
    }

    /// <summary>Starts another cordon-control over this fixture's data directory (for start-up refusal tests).</summary>
    internal ChildProcess StartControl(string environment, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var info = StackBinaries.Control(args);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.Environment["CORDON_DATA_DIR"] = DataDir;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return ChildProcess.Start(info);
    }

    /// <summary>
    /// A Development control plane with the auth bypass on this stack's runner, with a data directory of its own,
    /// ready when this returns and stopped with the stack (the MCP conformance suite connects without credentials).
    /// </summary>
    internal async Task<Uri> StartBypassControlAsync(CancellationToken cancellationToken)
    {
        var url = FreePort.NextLoopbackUrl();
        var control = StartControl(
            "Development",
            ["--urls", url.ToString().TrimEnd('/'), "--Cordon:Runners:0:Id=e2e", $"--Cordon:Runners:0:Url={RunnerUrl}", $"--Cordon:Runners:0:Token={ServiceToken}"],
            new Dictionary<string, string> { ["Cordon__Auth__Bypass"] = "true", ["CORDON_DATA_DIR"] = Path.Combine(DataDir, "bypass") });
        lock (_extraControls)
        {
            _extraControls.Add(control);
        }

        await WaitReadyAsync(url, control, cancellationToken);
        return url;
    }

    /// <summary>
    /// Another replica of the stack's control plane — the same data directory (database, signing key), runner and
    /// master key — ready when this returns and stopped with the stack; its memory is its own.
    /// </summary>
    internal async Task<Uri> StartReplicaAsync(CancellationToken cancellationToken)
    {
        var url = FreePort.NextLoopbackUrl();
        var control = StartControl("Development", [
            "--urls", url.ToString().TrimEnd('/'), "--Cordon:Runners:0:Id=e2e", $"--Cordon:Runners:0:Url={RunnerUrl}",
            $"--Cordon:Runners:0:Token={ServiceToken}", $"--Cordon:Secrets:MasterKeyFile={Path.Combine(DataDir, "master.key")}",
            // The stack's own control plane is alive: its unfinished jobs are not this replica's to end.
            "--Cordon:Jobs:RecoverUnfinishedAtStartup=false",
            // One writer per audit chain: each replica (a test may start two) keeps a segment directory of its own (docs/ARCHITECTURE.md, Audit log).
            $"--Cordon:Audit:Directory={Path.Combine(DataDir, "replica-audit-" + Guid.NewGuid().ToString("N")[..8])}",
        ]);
        lock (_extraControls)
        {
            _extraControls.Add(control);
        }

        await WaitReadyAsync(url, control, cancellationToken);
        return url;
    }

    /// <summary>The secret store's master key, as <c>scripts/run.sh</c> makes it: 32 random bytes, base64, 0600.</summary>
    private string CreateMasterKey()
    {
        var path = Path.Combine(DataDir, "master.key");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using (var writer = new StreamWriter(path, options))
        {
            writer.WriteLine(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        }

        return path;
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient ClientFor(string tenant = "e2e", string scopes = BearerToken.AllScopes) => Client(Token(tenant, scopes));

    public string Token(string tenant, string scopes, TimeSpan? lifetime = null, SigningKey? key = null) =>
        BearerToken.Mint(key ?? _devKey!, BearerToken.DevIssuer, "e2e-user", tenant, scopes, lifetime);

    public string Diagnostics() => $"--- cordon-control ---\n{_control?.Tail()}\n--- cordon-runner ---\n{_runner?.Tail()}";

    public async ValueTask DisposeAsync()
    {
        // Control planes first, so nothing asks the runner for work while it stops.
        foreach (var control in _extraControls)
        {
            await control.DisposeAsync();
        }

        if (_control is not null)
        {
            await _control.DisposeAsync();
        }

        if (_runner is not null)
        {
            await _runner.DisposeAsync();
        }

        if (Network is not null)
        {
            await Network.DisposeAsync();
        }

        await Packages.DisposeAsync();
        TraversableTempDirectory.TryDelete(DataDir);
    }

    private async Task WaitReadyAsync(Uri url, ChildProcess control, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (control.HasExited || _runner!.HasExited)
            {
                throw new InvalidOperationException($"A process of the stack exited during start-up.\n--- {url} ---\n{control.Tail()}\n{Diagnostics()}");
            }

            try
            {
                if ((await http.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A start-up slower than one request's timeout.
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"The control plane at {url} did not become ready.\n{control.Tail()}\n{Diagnostics()}");
    }
}
