using System.Net;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Cordon.EndToEnd.Mcp;

/// <summary>Cordon's /mcp through the SDK's own client, against the real stack (control plane, runner, sandboxes).</summary>
[Collection(McpCollection.Name)]
public sealed class McpHttpTests(StackFixture stack)
{
    private const string InitializeBody =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"e2e","version":"1"}}}""";

    [Fact]
    public async Task ListTools_WithToken_ListsEveryCordonTool()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct);

        var tools = await client.ListToolsAsync(cancellationToken: ct);

        Assert.Equal(
            ["close_session", "create_session", "list_files", "list_runtimes", "read_file", "run_code", "run_in_session", "write_file"],
            tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var runCode = tools.Single(t => t.Name == "run_code").ProtocolTool;
        Assert.NotNull(runCode.OutputSchema);
        Assert.Contains("language", runCode.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ListTools_TokenWithoutSessionScope_HidesSessionTools()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct, scopes: "jobs:run");

        var tools = await client.ListToolsAsync(cancellationToken: ct);

        Assert.Equal(["list_runtimes", "run_code"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunCode_Python_ReturnsStdoutStatusAndStructuredContent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct);

        var result = await client.CallToolAsync(
            "run_code", new Dictionary<string, object?> { ["language"] = "python", ["code"] = "print(input()[::-1])", ["stdin"] = "abc\n" },
            cancellationToken: ct);

        Assert.NotEqual(true, result.IsError);
        Assert.Contains("cba", Text(result), StringComparison.Ordinal);
        var structured = result.StructuredContent!.Value;
        Assert.Equal("succeeded", structured.GetProperty("status").GetString());
        Assert.Equal(0, structured.GetProperty("exitCode").GetInt32());
        Assert.Equal("cba\n", structured.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task RunCode_FailingProgram_IsErrorWithStderrAndExitCode()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct);

        var result = await client.CallToolAsync(
            "run_code",
            new Dictionary<string, object?> { ["language"] = "python", ["code"] = "import sys\nprint('boom', file=sys.stderr)\nsys.exit(3)" },
            cancellationToken: ct);

        Assert.True(result.IsError);
        var structured = result.StructuredContent!.Value;
        Assert.Equal("failed", structured.GetProperty("status").GetString());
        Assert.Equal(3, structured.GetProperty("exitCode").GetInt32());
        Assert.Contains("boom", structured.GetProperty("stderr").GetString(), StringComparison.Ordinal);
        Assert.Contains("exited with code 3", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCode_PngArtifact_ReturnedAsImageContent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct);
        const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

        var result = await client.CallToolAsync(
            "run_code",
            new Dictionary<string, object?>
            {
                ["language"] = "python",
                ["code"] = $"import base64\nopen('plot.png', 'wb').write(base64.b64decode('{Png}'))\nprint('saved')",
                ["artifacts"] = new[] { "*.png" },
            },
            cancellationToken: ct);

        Assert.NotEqual(true, result.IsError);
        var image = Assert.Single(result.Content.OfType<ImageContentBlock>());
        Assert.Equal("image/png", image.MimeType);
        Assert.Equal(Convert.FromBase64String(Png), image.DecodedData.ToArray());
    }

    [Fact]
    public async Task RunCode_WithProgressToken_ReportsOutputAsItArrives()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct);
        var reports = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(value =>
        {
            lock (reports)
            {
                reports.Add(value);
            }
        });

        var result = await client.CallToolAsync(
            "run_code",
            new Dictionary<string, object?>
            {
                ["language"] = "python",
                ["code"] = "import time\nfor i in range(3):\n    print('tick', i, flush=True)\n    time.sleep(0.3)",
            },
            progress,
            cancellationToken: ct);

        Assert.NotEqual(true, result.IsError);
        lock (reports)
        {
            // The client may hand notifications over from several threads, so the order is the server's numbering.
            var messages = reports.OrderBy(r => r.Progress).Select(r => r.Message ?? "").ToList();
            // Output goes out chunk by chunk as the program writes it (python -u writes "tick", " ", "0" apart).
            var output = string.Concat(messages.Where(m => !m.StartsWith("status:", StringComparison.Ordinal)));
            Assert.Contains("tick 0\ntick 1\ntick 2\n", output, StringComparison.Ordinal);
            Assert.True(messages.Count(m => !m.StartsWith("status:", StringComparison.Ordinal)) > 1, "output arrived in one piece, not as it came");
        }
    }

    [Fact]
    public async Task RunCode_ClientCancels_JobIsCancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var marker = Guid.NewGuid().ToString("N");
        var call = client.CallToolAsync(
            "run_code",
            new Dictionary<string, object?> { ["language"] = "python", ["code"] = $"# {marker}\nimport time\ntime.sleep(60)" },
            cancellationToken: cancel.Token).AsTask();

        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        using var http = stack.Client(stack.McpToken());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? status = null;
        while (DateTime.UtcNow < deadline)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync(new Uri("/v1/jobs?limit=20", UriKind.Relative), ct));
            status = page.RootElement.GetProperty("items").EnumerateArray()
                .Where(j => j.GetProperty("language").GetString() == "python")
                .Select(j => j.GetProperty("status").GetString())
                .FirstOrDefault();
            if (status is "cancelled")
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        Assert.Equal("cancelled", status);
    }

    [Fact]
    public async Task Session_StateFilesAndClose_PersistAcrossCalls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct);

        var created = await client.CallToolAsync(
            "create_session", new Dictionary<string, object?> { ["language"] = "python", ["idleTimeoutSec"] = 120 }, cancellationToken: ct);
        Assert.NotEqual(true, created.IsError);
        var sessionId = created.StructuredContent!.Value.GetProperty("sessionId").GetString()!;
        try
        {
            var set = await client.CallToolAsync(
                "run_in_session", new Dictionary<string, object?> { ["sessionId"] = sessionId, ["code"] = "x = 41" }, cancellationToken: ct);
            Assert.NotEqual(true, set.IsError);
            var get = await client.CallToolAsync(
                "run_in_session", new Dictionary<string, object?> { ["sessionId"] = sessionId, ["code"] = "print(x + 1)" }, cancellationToken: ct);
            Assert.Equal("42\n", get.StructuredContent!.Value.GetProperty("stdout").GetString());

            await client.CallToolAsync(
                "write_file",
                new Dictionary<string, object?> { ["sessionId"] = sessionId, ["path"] = "data/in.txt", ["content"] = "hello" },
                cancellationToken: ct);
            var listed = await client.CallToolAsync(
                "list_files", new Dictionary<string, object?> { ["sessionId"] = sessionId, ["path"] = "data" }, cancellationToken: ct);
            Assert.Contains("in.txt", Text(listed), StringComparison.Ordinal);
            var shell = await client.CallToolAsync(
                "run_in_session",
                new Dictionary<string, object?> { ["sessionId"] = sessionId, ["command"] = "tr a-z A-Z < data/in.txt > data/out.txt" },
                cancellationToken: ct);
            Assert.NotEqual(true, shell.IsError);
            var read = await client.CallToolAsync(
                "read_file", new Dictionary<string, object?> { ["sessionId"] = sessionId, ["path"] = "data/out.txt" }, cancellationToken: ct);
            Assert.Equal("HELLO", Text(read));
        }
        finally
        {
            await client.CallToolAsync("close_session", new Dictionary<string, object?> { ["sessionId"] = sessionId }, cancellationToken: ct);
        }

        var afterClose = await client.CallToolAsync(
            "run_in_session", new Dictionary<string, object?> { ["sessionId"] = sessionId, ["code"] = "print(x)" }, cancellationToken: ct);
        Assert.True(afterClose.IsError);
        Assert.Contains("ended", Text(afterClose), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunInSession_UnknownSession_IsErrorNamingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await stack.ConnectMcpAsync(ct);

        var result = await client.CallToolAsync(
            "run_in_session", new Dictionary<string, object?> { ["sessionId"] = "s_nope", ["code"] = "1" }, cancellationToken: ct);

        Assert.True(result.IsError);
        Assert.Contains("s_nope", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutToken_401WithWwwAuthenticate()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = stack.Client(null);

        using var response = await http.SendAsync(Initialize(origin: null), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Post_ForeignOrigin_403()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = stack.Client(stack.McpToken());

        using var refused = await http.SendAsync(Initialize(origin: "http://evil.example.com"), ct);
        using var accepted = await http.SendAsync(Initialize(origin: stack.BaseAddress.GetLeftPart(UriPartial.Authority)), ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static HttpRequestMessage Initialize(string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(InitializeBody, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private static string Text(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
