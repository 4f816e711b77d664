using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Problems.Fuzz;

namespace Cordon.ControlPlane.Tests.Problems;

/// <summary>
/// Thousands of malformed and mutated requests against the control plane on a loopback Kestrel listener (with the
/// fake runner): none may answer 5xx, every /v1 error is a problem details document that explains itself in API
/// terms, and the service still works afterwards.
/// </summary>
public sealed partial class ApiFuzzTests : IAsyncLifetime
{
    private const int Seed = 20_261_201;
    private const int RequestCount = 6_000;
    private const int Lanes = 4;
    private const long MaxBodyBytes = 1024 * 1024;
    private static readonly TimeSpan TimeBudget = TimeSpan.FromMinutes(6);

    private FakeRunnerHost _runner = null!;
    private ControlPlaneFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _runner = await FakeRunnerHost.StartAsync(Ct);
        _runner.State.Capacity = 100_000;
        _factory = new ControlPlaneFactory(_runner, new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ModelContextProtocol"] = "None",
            ["Logging:LogLevel:Cordon.Mcp.Tools"] = "None",
            ["Cordon:Limits:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cordon:Jobs:QueueCapacity"] = "10000",
            // The fuzzer's requests reach the endpoints, not the tenant's quotas (tested in Quotas/).
            ["Cordon:Quotas:Defaults:RequestsPerSecond"] = "1000000",
            ["Cordon:Quotas:Defaults:Burst"] = "1000000",
            ["Cordon:Quotas:Defaults:QueuedJobs"] = "1000000",
            ["Cordon:Quotas:Defaults:ConcurrentJobs"] = "1000000",
            ["Cordon:Quotas:Defaults:ConcurrentSessions"] = "1000000",
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        await _factory.WaitForRunnerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
    }

    [Fact]
    public async Task Fuzz_MalformedAndMutatedRequests_NeverAnswer5xx_AndExplainInApiTerms()
    {
        using var setup = Client();
        var session = await Created(setup, "/v1/sessions", """{"language":"python"}""");
        var job = await Created(setup, "/v1/jobs", """{"language":"python","code":"out seed"}""");
        var corpus = new FuzzCorpus(new Random(Seed), session, job, MaxBodyBytes);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var sent = 0;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Lanes).Select(async _ =>
        {
            using var client = Client();
            while (clock.Elapsed < TimeBudget)
            {
                FuzzRequest request;
                lock (corpus)
                {
                    if (sent == RequestCount)
                    {
                        return;
                    }

                    sent++;
                    request = corpus.Next();
                }

                var (status, problem) = await SendAsync(client, request);
                lock (failures)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (problem is not null && (failures.Count < 60 || status == 0))
                    {
                        failures.Add($"{request.Description} → {status}: {problem}");
                    }
                }
            }
        }));

        var summary = $"API fuzz: {sent} requests (seed {Seed}) in {clock.Elapsed.TotalSeconds:F1} s; by status: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures));
        Assert.Equal(RequestCount, sent);

        // Healthy afterwards: probes answer and a plain job still runs with its exact output.
        Assert.Equal(HttpStatusCode.OK, (await setup.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await setup.GetAsync("/readyz", Ct)).StatusCode);
        var after = await setup.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out still here"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("\"stdout\":\"still here\\n\"", await after.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private HttpClient Client()
    {
        var client = _factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(lifetime: TimeSpan.FromHours(1)));
        return client;
    }

    private static async Task<string> Created(HttpClient client, string path, string body)
    {
        var response = await client.PostAsync(path, Http.Json(body), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Sends one request; returns its status and what is wrong with the answer (null when nothing is).</summary>
    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient client, FuzzRequest request)
    {
        // One connection per request: the server closes a connection after a refused request line or an unread
        // body, and a request already queued on it would read as a failure of its own.
        using var message = new HttpRequestMessage(request.Method, request.Path) { Headers = { ConnectionClose = true } };
        if (request.Body is { } body)
        {
            HttpContent content = request.Chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            if (request.ContentType is { Length: > 0 } type && MediaTypeHeaderValue.TryParse(type, out var parsed))
            {
                content.Headers.ContentType = parsed;
            }

            message.Content = content;
        }

        if (request.IsMcp)
        {
            message.Headers.Accept.ParseAdd("application/json");
            message.Headers.Accept.ParseAdd("text/event-stream");
        }

        HttpResponseMessage response;
        string text;
        try
        {
            response = await client.SendAsync(message, Ct);
            text = await response.Content.ReadAsStringAsync(Ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException && ex.Message.StartsWith("Error while copying content", StringComparison.Ordinal))
        {
            // The server answered (413, or 400 for the first bad member) and closed before the client had sent the
            // whole body: a refusal the client could not read, not a fault.
            return (-1, null);
        }
        catch (HttpRequestException ex)
        {
            return (0, $"the connection failed: {ex.Message} {ex.InnerException?.Message}");
        }
        catch (TaskCanceledException) when (!Ct.IsCancellationRequested)
        {
            return (0, "no answer within the client timeout");
        }

        var status = (int)response.StatusCode;
        using (response)
        {
            if (status >= 500)
            {
                return (status, Clip(text));
            }

            if (Internals().IsMatch(text))
            {
                return (status, ".NET internals in the answer: " + Clip(text));
            }

            if (status < 400 || request.IsMcp)
            {
                return (status, null);
            }

            if (text.Length == 0 && (request.Path.Contains("%00", StringComparison.Ordinal) || request.Path.Length > 8 * 1024))
            {
                // Kestrel refuses a NUL in the path or an over-long request line before any application code runs.
                return (status, status is 400 or 414 ? null : "unexpected protocol-level refusal");
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return (status, $"not problem details ({response.Content.Headers.ContentType}): {Clip(text)}");
            }

            var detail = JsonDocument.Parse(text).RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            if (string.IsNullOrWhiteSpace(detail))
            {
                return (status, "problem without a detail: " + Clip(text));
            }

            if (status == 400 && request.FieldToName is { } field && !Names(detail, field))
            {
                return (status, $"the detail does not name '{field}': {Clip(detail)}");
            }

            return (status, null);
        }
    }

    /// <summary>The detail names the field, or its either-or partner ("give code or files").</summary>
    private static bool Names(string detail, string field) =>
        detail.Contains(field, StringComparison.Ordinal)
        || (field is "files" or "command" && detail.Contains("code", StringComparison.Ordinal))
        || (field == "code" && detail.Contains("command", StringComparison.Ordinal));

    private static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex(@"System\.[A-Z]|Cordon\.[A-Z]|Microsoft\.[A-Z]|Failed to read parameter|Failed to bind parameter|StackTrace|   at ")]
    private static partial Regex Internals();
}
