using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.TestSupport;

namespace Cordon.EndToEnd;

/// <summary>
/// A runner killed with SIGKILL in the middle of a job, on a stack of its own (the shared one must keep its runner):
/// the job ends <c>error</c> saying so in words and keeps the output it streamed before, in the job and its events.
/// </summary>
public sealed class RunnerLossE2ETests : IAsyncLifetime
{
    private const string ServiceToken = "e2e-runner-loss-service-token-of-at-least-32-bytes";

    private readonly string _dataDir = TraversableTempDirectory.Create("cordon-e2e-loss-");

    private readonly int _runnerPort = FreePort.Next();
    private ChildProcess? _runner;
    private ChildProcess? _control;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _runner = StartRunner();
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var control = StackBinaries.Control([
            "--urls", baseAddress.ToString().TrimEnd('/'),
            "--Cordon:Runners:0:Id=local",
            $"--Cordon:Runners:0:Url=http://127.0.0.1:{_runnerPort}",
            $"--Cordon:Runners:0:Token={ServiceToken}",
        ]);
        control.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        control.Environment["CORDON_DATA_DIR"] = _dataDir;
        control.Environment["Logging__LogLevel__Default"] = "Warning";
        _control = ChildProcess.Start(control);

        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddSeconds(120); ; await Task.Delay(250, Ct))
        {
            Assert.False(_control.HasExited || _runner.HasExited, "A process of the stack exited during start-up.\n" + Diagnostics());
            Assert.True(DateTime.UtcNow < deadline, "The stack did not become ready.\n" + Diagnostics());
            try
            {
                if ((await probe.GetAsync(new Uri("/readyz", UriKind.Relative), Ct)).StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }

        _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(90) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MintToken());
    }

    [Fact]
    public async Task RunnerKilledMidJob_JobErrorsInWords_KeepingStreamedOutput()
    {
        var created = await _client.PostAsync(new Uri("/v1/jobs", UriKind.Relative), E2E.Json(
            """{"language":"python","code":"print('start', flush=True)\nimport time\ntime.sleep(60)\nprint('never')","wait":false}"""), Ct);
        Assert.True(created.IsSuccessStatusCode, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync(Ct)}\n{Diagnostics()}");
        var job = (await created.Content.ReadFromJsonAsync(CordonJsonContext.Default.Job, Ct))!;

        await WaitForFirstStdoutAsync(job.Id);
        _runner!.Kill(entireProcessTree: false); // a crash: the sandbox it drives is left behind
        await _runner.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        Job final;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(200, Ct))
        {
            final = (await _client.GetFromJsonAsync($"/v1/jobs/{job.Id}", CordonJsonContext.Default.Job, Ct))!;
            if (final.Status.IsTerminal() || DateTime.UtcNow > deadline)
            {
                break;
            }
        }

        Assert.True(final.Status == JobStatus.Error, $"expected error, got {final.Status} ({final.Error})\n{Diagnostics()}");
        Assert.Equal("runner 'local' was lost during the job", final.Error);
        Assert.Equal("start\n", final.Stdout);

        var events = await SseReader.ReadJobEventsAsync(_client, job.Id, null, Ct);
        Assert.Equal("start\n", string.Concat(events.Where(e => e.Event == JobEventTypes.Stdout)
            .Select(e => JsonSerializer.Deserialize(e.Data, CordonJsonContext.Default.JobOutputEvent)!.Data)));
        var result = JsonSerializer.Deserialize(events.Single(e => e.Event == JobEventTypes.Result).Data, CordonJsonContext.Default.Job)!;
        Assert.Equal(("start\n", JobStatus.Error), (result.Stdout, result.Status));
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_control is not null)
        {
            await _control.DisposeAsync();
        }

        if (_runner is not null)
        {
            await _runner.DisposeAsync();
            // The killed runner left its sandbox behind; a runner starting on the same directory reaps it.
            await using var reaper = StartRunner();
            await WaitListeningAsync(_runnerPort, TimeSpan.FromSeconds(60));
        }

        TraversableTempDirectory.TryDelete(_dataDir);
    }

    private ChildProcess StartRunner()
    {
        var info = StackBinaries.Runner([
            "serve", "--urls", $"http://127.0.0.1:{_runnerPort}",
            $"--Cordon:Runner:DataDir={Path.Combine(_dataDir, "runner")}",
            $"--Cordon:Runner:ServiceToken={ServiceToken}",
            $"--Cordon:Runner:InitPath={StackBinaries.InitPath()}",
            // A uid range of its own, away from the shared stack's runner (60000000 + 16 slots).
            "--Cordon:Runner:UidBase=64000000",
            "--Cordon:Runner:Capacity=2",
        ]);
        info.Environment["CORDON_DATA_DIR"] = _dataDir;
        return ChildProcess.Start(info);
    }

    private async Task WaitForFirstStdoutAsync(string jobId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await _client.GetAsync(new Uri($"/v1/jobs/{jobId}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            Assert.False(line == $"event: {JobEventTypes.Result}", "the job ended before it printed:\n" + Diagnostics());
            if (line == $"event: {JobEventTypes.Stdout}")
            {
                return;
            }
        }

        Assert.Fail("The event stream ended before any stdout.\n" + Diagnostics());
    }

    private string MintToken() =>
        BearerToken.Mint(SigningKey.ReadDevKey(_dataDir), BearerToken.DevIssuer, "e2e-user", "e2e-loss", "jobs:run");

    private static async Task WaitListeningAsync(int port, TimeSpan timeout)
    {
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                // Still reaping and building its root filesystem.
            }
        }
    }

    private string Diagnostics() => $"--- cordon-control ---\n{_control?.Tail()}\n--- cordon-runner ---\n{_runner?.Tail()}";
}
