using System.Net;
using System.Text.Json;
using Cordon.TestSupport;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>
/// <c>/readyz</c> on both planes, ready and not: the stack's answer 200; a control plane whose only runner is not
/// there, and whose artifact directory cannot take a file, answers 503 with a problem naming each failed check; a
/// runner whose root filesystem went missing answers 503 naming it, while <c>/healthz</c> (liveness) stays 200.
/// </summary>
public sealed class ReadinessE2ETests(StackFixture stack)
{
    [Fact]
    public async Task Readyz_StackUp_BothPlanesReady()
    {
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(stack.BaseAddress, "/readyz"), Ct)).StatusCode);
        using var runner = await http.GetAsync(new Uri(stack.RunnerMetricsUrl, "/readyz"), Ct);
        Assert.Equal(HttpStatusCode.OK, runner.StatusCode);
        using var ready = JsonDocument.Parse(await runner.Content.ReadAsStringAsync(Ct));
        Assert.True(ready.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal(16, ready.RootElement.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task Readyz_NoRunnerUpAndArtifactsUnwritable_503NamesEachCheck()
    {
        var dataDir = TraversableTempDirectory.Create("cordon-e2e-ready-");
        try
        {
            var url = FreePort.NextLoopbackUrl();
            var info = StackBinaries.Control([
                "--urls", url.ToString().TrimEnd('/'), "--Cordon:Runners:0:Id=absent",
                $"--Cordon:Runners:0:Url=http://127.0.0.1:{FreePort.Next()}", $"--Cordon:Runners:0:Token={StackFixture.ServiceToken}",
            ]);
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            info.Environment["CORDON_DATA_DIR"] = dataDir;
            await using var control = ChildProcess.Start(info);
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
            await WaitForAsync(control, http, "/healthz", TimeSpan.FromSeconds(60));

            var (status, checks) = await ReadyzAsync(http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(["runners: none is up"], checks);

            // The artifact directory replaced by a file: objects cannot be stored any more.
            var artifacts = Path.Combine(dataDir, "artifacts");
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }

            await File.WriteAllTextAsync(artifacts, "not a directory", Ct);
            (status, checks) = await ReadyzAsync(http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(2, checks.Length);
            Assert.StartsWith("objectStorage: ", checks[0], StringComparison.Ordinal);
            Assert.Equal("runners: none is up", checks[1]);
            Assert.Equal(HttpStatusCode.OK, await TryGetAsync(http, "/healthz"));
        }
        finally
        {
            TraversableTempDirectory.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task Readyz_RunnerRootfsMissing_503NamesIt()
    {
        var dataDir = TraversableTempDirectory.Create("cordon-e2e-ready-runner-");
        try
        {
            var metrics = FreePort.NextLoopbackUrl();
            var info = StackBinaries.Runner([
                "serve", "--urls", $"http://127.0.0.1:{FreePort.Next()}",
                $"--Cordon:Runner:DataDir={Path.Combine(dataDir, "runner")}",
                $"--Cordon:Runner:ServiceToken={StackFixture.ServiceToken}",
                $"--Cordon:Runner:InitPath={StackBinaries.InitPath()}",
                "--Cordon:Runner:UidBase=71000000", "--Cordon:Runner:Capacity=2",
                $"--Cordon:Runner:MetricsUrl={metrics.ToString().TrimEnd('/')}",
            ]);
            info.Environment["CORDON_DATA_DIR"] = dataDir;
            await using var runner = ChildProcess.Start(info);
            using var http = new HttpClient { BaseAddress = metrics, Timeout = TimeSpan.FromSeconds(5) };
            await WaitForAsync(runner, http, "/readyz", TimeSpan.FromSeconds(120));

            File.Delete(Path.Combine(dataDir, "runner", "rootfs", "etc", "passwd"));

            var (status, checks) = await ReadyzAsync(http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(["rootfs: the sandbox root filesystem is missing"], checks);
            Assert.Equal(HttpStatusCode.OK, await TryGetAsync(http, "/healthz"));
        }
        finally
        {
            TraversableTempDirectory.TryDelete(dataDir);
        }
    }

    /// <summary>The status and, for a 503, the problem's <c>checks</c> (its content type checked too).</summary>
    private static async Task<(HttpStatusCode Status, string[] Checks)> ReadyzAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), Ct);
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            return (response.StatusCode, []);
        }

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Not ready", problem.RootElement.GetProperty("title").GetString());
        return (response.StatusCode, [.. problem.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetString()!)]);
    }

    private static async Task WaitForAsync(ChildProcess process, HttpClient http, string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await TryGetAsync(http, path) != HttpStatusCode.OK)
        {
            Assert.False(process.HasExited, $"the process exited during start-up:\n{process.Tail()}");
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not answer 200 in time:\n{process.Tail()}");
            await Task.Delay(250, Ct);
        }
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Ct);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
