using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cordon.Contracts.Json;
using Cordon.Contracts.Sessions;
using Cordon.TestSupport;

namespace Cordon.EndToEnd;

/// <summary>
/// A stack of its own for one runner-loss test (the shared one must keep its runner): a real <c>cordon-runner</c>
/// that the test stops (SIGSTOP), resumes, kills and restarts on the same port and data directory, and a
/// Development <c>cordon-control</c> with the scheduling settings the test gives.
/// </summary>
internal sealed class LossStack : IAsyncDisposable
{
    private const string ServiceToken = "e2e-runner-stall-service-token-of-at-least-32-bytes";
    private readonly int _runnerPort = FreePort.Next();
    private readonly int _uidBase;
    private ChildProcess? _control;
    private Uri _baseAddress = null!;

    private readonly int _capacity;

    private LossStack(int uidBase, int capacity) => (_uidBase, _capacity) = (uidBase, capacity);

    public string DataDir { get; } = TraversableTempDirectory.Create("cordon-e2e-stall-");

    public ChildProcess Runner { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string RunnerDataDir => Path.Combine(DataDir, "runner");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts both processes; <paramref name="uidBase"/> keeps this runner's uid range apart from the others'.</summary>
    public static Task<LossStack> StartAsync(int uidBase, params string[] controlSettings) => StartAsync(uidBase, 12, controlSettings);

    /// <summary>As above, with a runner of <paramref name="capacity"/> sandboxes.</summary>
    public static async Task<LossStack> StartAsync(int uidBase, int capacity, params string[] controlSettings)
    {
        var stack = new LossStack(uidBase, capacity);
        stack.Runner = stack.StartRunner();
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var control = StackBinaries.Control([
            "--urls", baseAddress.ToString().TrimEnd('/'),
            "--Cordon:Runners:0:Id=local",
            $"--Cordon:Runners:0:Url=http://127.0.0.1:{stack._runnerPort}",
            $"--Cordon:Runners:0:Token={ServiceToken}",
            "--Cordon:Scheduling:HealthIntervalSeconds=0.5",
            "--Cordon:Scheduling:HealthTimeoutSeconds=0.5",
            .. controlSettings,
        ]);
        control.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        control.Environment["CORDON_DATA_DIR"] = stack.DataDir;
        control.Environment["Logging__LogLevel__Default"] = "Warning";
        stack._control = ChildProcess.Start(control);

        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddSeconds(120); ; await Task.Delay(250, Ct))
        {
            Assert.False(stack._control.HasExited || stack.Runner.HasExited, "A process of the stack exited during start-up.\n" + stack.Diagnostics());
            Assert.True(DateTime.UtcNow < deadline, "The stack did not become ready.\n" + stack.Diagnostics());
            try
            {
                if ((await probe.GetAsync(new Uri("/readyz", UriKind.Relative), Ct)).StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
        }

        stack._baseAddress = baseAddress;
        stack.Client = stack.ClientFor("e2e-stall");
        return stack;
    }

    /// <summary>A client acting for <paramref name="tenant"/> (a token minted with the stack's development key).</summary>
    public HttpClient ClientFor(string tenant)
    {
        var client = new HttpClient { BaseAddress = _baseAddress, Timeout = TimeSpan.FromSeconds(90) };
        var token = BearerToken.Mint(SigningKey.ReadDevKey(DataDir), BearerToken.DevIssuer, "e2e-user", tenant, BearerToken.AllScopes);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Starts the runner again on the same port and data directory (after a kill): it reaps what it finds.</summary>
    public async Task RestartRunnerAsync()
    {
        await Runner.DisposeAsync();
        Runner = StartRunner();
    }

    public async Task<Session> CreateSessionAsync(string json = """{"language":"python"}""")
    {
        var response = await Client.PostAsync(new Uri("/v1/sessions", UriKind.Relative), E2E.Json(json), Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}\n{Diagnostics()}");
        return (await response.Content.ReadFromJsonAsync(CordonJsonContext.Default.Session, Ct))!;
    }

    public async Task<Session> GetSessionAsync(string id) =>
        (await Client.GetFromJsonAsync($"/v1/sessions/{id}", CordonJsonContext.Default.Session, Ct))!;

    /// <summary>Polls until every session satisfies <paramref name="until"/> or the timeout passes; returns the last reads.</summary>
    public async Task<IReadOnlyList<Session>> WaitSessionsAsync(IEnumerable<Session> sessions, Func<Session, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var current = new List<Session>();
            foreach (var session in sessions)
            {
                current.Add(await GetSessionAsync(session.Id));
            }

            if (current.All(until) || DateTime.UtcNow > deadline)
            {
                return current;
            }

            await Task.Delay(100, Ct);
        }
    }

    /// <summary>
    /// The sandboxes the runner's host state holds: state directories under <c>sandboxes/</c> and containers
    /// <c>runc list</c> knows (read from the host, so it also works while the runner is stopped).
    /// </summary>
    public async Task<IReadOnlySet<string>> HostSandboxesAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var states = Path.Combine(RunnerDataDir, "sandboxes");
        if (Directory.Exists(states))
        {
            ids.UnionWith(Directory.EnumerateDirectories(states).Select(Path.GetFileName)!);
        }

        var list = await ChildProcess.RunAsync(
            ChildProcess.CreateStartInfo("runc", ["--root", Path.Combine(RunnerDataDir, "runc"), "list", "-q"]), TimeSpan.FromSeconds(30), Ct);
        ids.UnionWith(list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return ids;
    }

    /// <summary>Polls until the host holds no sandbox; returns what is left at the timeout.</summary>
    public async Task<IReadOnlySet<string>> WaitNoSandboxesAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = await HostSandboxesAsync();
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(200, Ct);
        }
    }

    public string Diagnostics() => $"--- cordon-control ---\n{_control?.Tail(60)}\n--- cordon-runner ---\n{Runner?.Tail()}";

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_control is not null)
        {
            await _control.DisposeAsync();
        }

        if (Runner is not null)
        {
            Runner.Signal("CONT"); // a test that failed while it was stopped: it must be able to stop
            await Runner.DisposeAsync();
        }

        TraversableTempDirectory.TryDelete(DataDir);
    }

    private ChildProcess StartRunner()
    {
        var info = StackBinaries.Runner([
            "serve", "--urls", $"http://127.0.0.1:{_runnerPort}",
            $"--Cordon:Runner:DataDir={RunnerDataDir}",
            $"--Cordon:Runner:ServiceToken={ServiceToken}",
            $"--Cordon:Runner:InitPath={StackBinaries.InitPath()}",
            $"--Cordon:Runner:UidBase={_uidBase}",
            $"--Cordon:Runner:Capacity={_capacity}",
        ]);
        info.Environment["CORDON_DATA_DIR"] = DataDir;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        return ChildProcess.Start(info);
    }
}
