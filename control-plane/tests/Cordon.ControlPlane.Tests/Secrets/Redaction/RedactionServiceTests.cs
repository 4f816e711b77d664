using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.TestSupport;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Cordon.ControlPlane.Tests.Secrets.Redaction;

/// <summary>
/// The redaction wired into every output path, at the service level: real sandboxes on a real runner, the control
/// plane over real HTTP, jobs and sessions given <see cref="RedactionStack.Value"/> through the secret-source seam.
/// The programs print the value in every form (passed to them in the request's <c>env</c>, as the secret store's
/// delivery will), slowly, to both streams, into files, artifacts and the compiler's output; no answer — REST,
/// the live and the replayed event stream, MCP — and no log line or audit event may hold any form of it.
/// </summary>
public sealed class RedactionServiceTests(RedactionStack stack) : IClassFixture<RedactionStack>
{
    private const string Marker = "[REDACTED:API_TOKEN]";

    // Every form, to both streams, a byte at a time with pauses, from the environment and a file, and as an artifact.
    private const string PrintEverything = """
        import base64, os, sys, time, urllib.parse
        v = os.environ["API_TOKEN"]
        b = v.encode()
        print("raw", v)
        print("hex", b.hex(), b.hex().upper())
        for k in range(3):
            blob = b"\x01" * k + b + b"\xfe\xff"
            print("b64", k, base64.b64encode(blob).decode(), base64.urlsafe_b64encode(blob).decode().rstrip("="))
        print("url", urllib.parse.quote(v, safe=""), urllib.parse.quote_plus(v), "".join("%%%02x" % c for c in b))
        print("err", v, file=sys.stderr)
        sys.stdout.write("slow ")
        for c in b:
            sys.stdout.buffer.write(bytes([c]))
            sys.stdout.flush()
            time.sleep(0.03)
        print()
        print("environ", open("/proc/self/environ", "rb").read().replace(b"\0", b" ").decode())
        open("secret.txt", "w").write("in a file: " + v + "\n" + b.hex())
        print("file", open("secret.txt").read())
        print("done")
        """;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Job_PrintsTheValueInEveryForm_NoAnswerHoldsIt()
    {
        using var client = stack.Client();

        var job = await RunAsync(client, PrintEverything, wait: true);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Contains("done", job.Stdout, StringComparison.Ordinal);
        Assert.Contains("raw " + Marker, job.Stdout, StringComparison.Ordinal);
        Assert.Contains("slow " + Marker, job.Stdout, StringComparison.Ordinal);
        Assert.Contains("err " + Marker, job.Stderr, StringComparison.Ordinal);
        Assert.Equal("redacted", await AssertNoLeakAsync(client, job.Id));
        Assert.Contains(job.Id, stack.Secrets.Owners);
    }

    [Fact]
    public async Task Job_FollowedLiveWhileItWritesSlowly_LiveEventsHoldNoForm()
    {
        using var client = stack.Client();
        var queued = await RunAsync(client, PrintEverything, wait: false);

        // Opened at once: the events arrive live, while the program still writes a byte at a time.
        var live = await ReadEventsAsync(client, queued.Id);

        Assert.Contains(live, e => e.Event == "stdout");
        Assert.Equal("result", live[^1].Event);
        AssertNone(SecretLeaks.In(string.Concat(live.Select(e => e.Data)), RedactionStack.Value), "live events");
        AssertNone(live.SelectMany(e => SecretLeaks.InJson(e.Data, RedactionStack.Value)).ToList(), "live events");
        Assert.Contains(Marker, string.Concat(live.Where(e => e.Event == "stdout").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("data").GetString())), StringComparison.Ordinal);
        await AssertNoLeakAsync(client, queued.Id);
    }

    [Fact]
    public async Task Job_ArtifactHoldingTheValue_StoredAndServedRedacted()
    {
        using var client = stack.Client();

        var job = await RunAsync(client, "import os\nopen('report.txt', 'w').write('token=' + os.environ['API_TOKEN'] + '\\n')\nprint('ok')", wait: true, artifacts: ["report.txt"]);

        var artifact = Assert.Single(job.Artifacts);
        var content = await client.GetByteArrayAsync(new Uri($"/v1/jobs/{job.Id}/artifacts/report.txt", UriKind.Relative), Ct);
        Assert.Equal("token=" + Marker + "\n", Encoding.UTF8.GetString(content));
        Assert.Equal(content.Length, artifact.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), artifact.Sha256);
    }

    [Fact]
    public async Task Job_CompilerQuotesTheValue_CompileOutputRedacted()
    {
        using var client = stack.Client();

        // The value in the source itself: the compiler prints it back in its error.
        var job = await RunAsync(client, $"#error {RedactionStack.Value}\nint main(void) {{ return 0; }}\n", wait: true, language: "c");

        Assert.NotNull(job.CompileOutput);
        Assert.Contains(Marker, job.CompileOutput, StringComparison.Ordinal);
        await AssertNoLeakAsync(client, job.Id);
    }

    [Fact]
    public async Task Session_ExecAndFiles_RedactedInOutputReadsAndListings()
    {
        using var client = stack.Client();
        var created = await client.PostAsJsonAsync(new Uri("/v1/sessions", UriKind.Relative), new { language = "python" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = await created.ReadAsync<Session>();
        Assert.Contains(session.Id, stack.Secrets.Owners);
        try
        {
            var exec = await client.PostAsJsonAsync(new Uri($"/v1/sessions/{session.Id}/exec", UriKind.Relative), new
            {
                code = "import os, base64\nv = os.environ['API_TOKEN']\nopen('notes.txt', 'w').write(v)\nopen(v.encode().hex() + '.txt', 'w').write('x')\n"
                    + "print(v, base64.b64encode(v.encode()).decode())",
                env = new Dictionary<string, string> { ["API_TOKEN"] = RedactionStack.Value },
            }, Ct);
            var execBody = await exec.Content.ReadAsStringAsync(Ct);
            Assert.True(exec.StatusCode == HttpStatusCode.OK, execBody);
            AssertNone(SecretLeaks.InJson(execBody, RedactionStack.Value), "exec answer");
            Assert.Contains(Marker, execBody, StringComparison.Ordinal);
            var jobId = JsonDocument.Parse(execBody).RootElement.GetProperty("id").GetString()!;
            await AssertNoLeakAsync(client, jobId);

            var file = await client.GetByteArrayAsync(new Uri($"/v1/sessions/{session.Id}/files/notes.txt", UriKind.Relative), Ct);
            Assert.Equal(Marker, Encoding.UTF8.GetString(file));

            var listing = await client.GetStringAsync(new Uri($"/v1/sessions/{session.Id}/files", UriKind.Relative), Ct);
            AssertNone(SecretLeaks.InJson(listing, RedactionStack.Value), "file listing");
            Assert.Contains(Marker + ".txt", listing, StringComparison.Ordinal);
            Assert.Contains("notes.txt", listing, StringComparison.Ordinal);
        }
        finally
        {
            await client.DeleteAsync(new Uri($"/v1/sessions/{session.Id}", UriKind.Relative), Ct);
        }
    }

    [Fact]
    public async Task Mcp_RunCodeAndSessionTools_ResultsAndProgressHoldNoForm()
    {
        using var http = stack.Client();
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http,
            ownsHttpClient: false);
        await using var mcp = await McpClient.CreateAsync(transport, cancellationToken: Ct);
        var progress = new List<string>();

        var run = await mcp.CallToolAsync(
            "run_code",
            new Dictionary<string, object?> { ["language"] = "python", ["code"] = PrintEverything, ["env"] = new Dictionary<string, string> { ["API_TOKEN"] = RedactionStack.Value } },
            new Progress(value =>
            {
                lock (progress)
                {
                    progress.Add(value.Message ?? "");
                }
            }),
            cancellationToken: Ct);

        var runJson = JsonSerializer.Serialize(run, McpJsonUtilities.DefaultOptions);
        Assert.Contains(Marker, runJson, StringComparison.Ordinal);
        AssertNone(SecretLeaks.InJson(runJson, RedactionStack.Value), "run_code result");
        lock (progress)
        {
            AssertNone(SecretLeaks.In(string.Concat(progress), RedactionStack.Value), "run_code progress");
        }

        var session = await mcp.CallToolAsync("create_session", new Dictionary<string, object?> { ["language"] = "python" }, cancellationToken: Ct);
        var sessionId = session.StructuredContent!.Value.GetProperty("sessionId").GetString()!;
        var exec = await mcp.CallToolAsync(
            "run_in_session",
            new Dictionary<string, object?> { ["sessionId"] = sessionId, ["code"] = $"open('k.txt', 'w').write({JsonSerializer.Serialize(RedactionStack.Value)})\nprint(open('k.txt').read())" },
            cancellationToken: Ct);
        var read = await mcp.CallToolAsync("read_file", new Dictionary<string, object?> { ["sessionId"] = sessionId, ["path"] = "k.txt" }, cancellationToken: Ct);
        await mcp.CallToolAsync("close_session", new Dictionary<string, object?> { ["sessionId"] = sessionId }, cancellationToken: Ct);

        foreach (var (name, result) in new[] { ("run_in_session", exec), ("read_file", read) })
        {
            var json = JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions);
            Assert.NotEqual(true, result.IsError);
            Assert.Contains(Marker, json, StringComparison.Ordinal);
            AssertNone(SecretLeaks.InJson(json, RedactionStack.Value), name);
        }
    }

    [Fact]
    public async Task LogsAndAudit_AfterJobsThatPrintTheValue_HoldNoForm()
    {
        using var client = stack.Client();
        await RunAsync(client, PrintEverything, wait: true);
        // A failing program as well: its end, with an exit code, is logged and audited.
        await RunAsync(client, "import os, sys\nprint(os.environ['API_TOKEN'], file=sys.stderr)\nsys.exit(3)", wait: true);

        AssertNone(SecretLeaks.In(string.Join("\n", stack.Logs.Messages), RedactionStack.Value), "logs");
        AssertNone(SecretLeaks.In(string.Join("\n", stack.Audit.Events.Select(e => e.ToString())), RedactionStack.Value), "audit events");
        Assert.NotEmpty(stack.Audit.Events);
    }

    private async Task<Job> RunAsync(HttpClient client, string code, bool wait, string language = "python", string[]? artifacts = null)
    {
        var response = await client.PostAsJsonAsync(new Uri("/v1/jobs", UriKind.Relative), new
        {
            language,
            code,
            wait,
            artifacts,
            env = new Dictionary<string, string> { ["API_TOKEN"] = RedactionStack.Value },
        }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}\n{stack.RunnerDiagnostics()}");
        AssertNone(SecretLeaks.InJson(body, RedactionStack.Value), "job answer");
        return JsonSerializer.Deserialize(body, CordonJsonContext.Default.Job)!;
    }

    /// <summary>The job as GET shows it, and its whole stored event stream replayed: no form of the value in either.</summary>
    private async Task<string> AssertNoLeakAsync(HttpClient client, string jobId)
    {
        var job = await client.GetStringAsync(new Uri($"/v1/jobs/{jobId}", UriKind.Relative), Ct);
        AssertNone(SecretLeaks.InJson(job, RedactionStack.Value), "GET job");
        var replay = await ReadEventsAsync(client, jobId);
        Assert.Equal("result", replay[^1].Event);
        AssertNone(replay.SelectMany(e => SecretLeaks.InJson(e.Data, RedactionStack.Value)).ToList(), "replayed events");
        var stdout = string.Concat(replay.Where(e => e.Event is "stdout" or "stderr").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("data").GetString()));
        AssertNone(SecretLeaks.In(stdout, RedactionStack.Value), "replayed output");
        return "redacted";
    }

    private async Task<List<SseEvent>> ReadEventsAsync(HttpClient client, string jobId) => await SseReader.ReadJobEventsAsync(client, jobId, null, Ct);

    private static void AssertNone(IReadOnlyList<string> found, string where) =>
        Assert.True(found.Count == 0, $"{where} holds the value as {string.Join(", ", found)}");

    private sealed class Progress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
