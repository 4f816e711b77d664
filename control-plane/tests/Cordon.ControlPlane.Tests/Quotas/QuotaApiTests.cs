using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Problems;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using static Cordon.ControlPlane.Tests.Infrastructure.JobPolling;

namespace Cordon.ControlPlane.Tests.Quotas;

/// <summary>
/// Per-tenant quotas through the real control plane over HTTP (fake runner): each refusal is 429 + Retry-After + a
/// quota-exceeded problem naming the quota and saying what to do; a job over its running quota waits queued and runs
/// later; a PUT of the policy changes the quotas at once; MCP tool calls get tool errors naming the quota. The
/// in-process counters here; the Redis ones in <see cref="RedisQuotaApiTests"/>.
/// </summary>
public class QuotaApiTests : IAsyncLifetime
{
    private protected ControlPlaneFactory Factory { get; private set; } = null!;

    private protected FakeRunnerHost Runner { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // A tenant without a policy document: one session at a time.
        ["Cordon:Quotas:Defaults:ConcurrentSessions"] = "1",
    };

    private HttpClient Admin => Factory.ClientFor("ops", "admin");

    public async ValueTask InitializeAsync()
    {
        (Factory, Runner) = await ControlPlaneFactory.StartAsync(Settings);
        Runner.State.Capacity = 20;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Runner.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task RequestsPerSecond_OverTheBurst_429WithRetryAfterAndTheQuotaNamed_OtherTenantsUnaffected()
    {
        await PutPolicyAsync("rate", """{"quotas":{"requestsPerSecond":0.5,"burst":2}}""");
        var client = Factory.ClientFor("rate");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/jobs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/runtimes", Ct)).StatusCode);

        var refused = await client.GetAsync("/v1/jobs", Ct);
        var problem = await AssertQuotaProblemAsync(refused, "requestsPerSecond", "slow down");
        Assert.Equal(0.5, problem.GetProperty("limit").GetDouble());
        Assert.InRange(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 2); // a token per 2 s

        Assert.Equal(HttpStatusCode.OK, (await Factory.ClientFor("acme").GetAsync("/v1/jobs", Ct)).StatusCode);
    }

    [Fact]
    public async Task QueuedJobs_OverTheQuota_429_WhileAcceptedJobsWaitAndRun()
    {
        await PutPolicyAsync("busy", """{"quotas":{"concurrentJobs":1,"queuedJobs":1}}""");
        var client = Factory.ClientFor("busy");
        var running = await SubmitAsync(client, "out first\nhang");
        await WaitForStatusAsync(client, running.Id, JobStatus.Running);
        var waiting = await SubmitAsync(client, "out second");
        Assert.Equal(JobStatus.Queued, waiting.Status);

        var refused = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out third","wait":false}"""), Ct);
        await AssertQuotaProblemAsync(refused, "queuedJobs", "waiting to start");
        Assert.Equal("5", refused.Headers.RetryAfter!.ToString());
        using (var page = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/jobs", UriKind.Relative), Ct)))
        {
            Assert.Equal(2, page.RootElement.GetProperty("items").GetArrayLength()); // the refused job was never stored
        }

        // The waiting job is not dropped: it runs once the running one ends, and the queue has room again.
        await client.PostAsync($"/v1/jobs/{running.Id}/cancel", null, Ct);
        var done = await PollAsync(client, waiting.Id);
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal("second\n", done.Stdout);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out fourth"}"""), Ct)).StatusCode);
    }

    [Fact]
    public async Task ConcurrentJobs_OverTheQuota_WaitQueued_UntilAPutRaisesIt()
    {
        await PutPolicyAsync("one", """{"quotas":{"concurrentJobs":1}}""");
        var client = Factory.ClientFor("one");
        var first = await SubmitAsync(client, "hang");
        await WaitForStatusAsync(client, first.Id, JobStatus.Running);
        var second = await SubmitAsync(client, "out second\nhang");

        // The runner has room (20) but the tenant runs 1 at a time.
        await Task.Delay(1000, Ct);
        Assert.Equal(JobStatus.Queued, (await GetJobAsync(client, second.Id)).Status);

        await PutPolicyAsync("one", """{"quotas":{"concurrentJobs":2}}""");
        await WaitForStatusAsync(client, second.Id, JobStatus.Running);
        await client.PostAsync($"/v1/jobs/{first.Id}/cancel", null, Ct);
        await client.PostAsync($"/v1/jobs/{second.Id}/cancel", null, Ct);
    }

    [Fact]
    public async Task Dispatch_IsFairAcrossTenants_ABurstDoesNotStarveAnotherTenantsJob()
    {
        Runner.State.Capacity = 2;
        var a = Factory.ClientFor("burst");
        var burst = new List<Job>();
        for (var i = 0; i < 40; i++)
        {
            burst.Add(await SubmitAsync(a, "sleep 1000"));
        }

        var single = await SubmitAsync(Factory.ClientFor("quiet"), "out b");
        var done = await PollAsync(Factory.ClientFor("quiet"), single.Id);
        Assert.Equal(JobStatus.Succeeded, done.Status);

        var jobs = new List<Job>();
        foreach (var job in burst)
        {
            jobs.Add(await GetJobAsync(a, job.Id));
        }

        // FIFO would start every job of the burst still waiting when B came before B; fair dispatch starts B at the
        // next free slot, after at most the two already running there (and one dispatched in the same instant).
        var waiting = jobs.Count(j => j.StartedAt is null || j.StartedAt >= single.CreatedAt);
        var overtook = jobs.Count(j => j.StartedAt is { } s && s >= single.CreatedAt && s < done.StartedAt);
        Assert.True(waiting >= 10, $"only {waiting} of the burst's jobs were waiting when B came: nothing to overtake");
        Assert.True(overtook <= 3, $"{overtook} of the {waiting} waiting jobs of the burst started between B's submission and B's start");
        foreach (var job in jobs.Where(j => !j.Status.IsTerminal()))
        {
            await a.PostAsync($"/v1/jobs/{job.Id}/cancel", null, Ct);
        }
    }

    [Fact]
    public async Task ConcurrentJobsZero_RefusedAtOnce_NeverAcceptedToWaitForEver()
    {
        await PutPolicyAsync("none", """{"quotas":{"concurrentJobs":0}}""");
        var refused = await Factory.ClientFor("none").PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out x","wait":false}"""), Ct);
        await AssertQuotaProblemAsync(refused, "concurrentJobs", "raise it");
    }

    [Fact]
    public async Task ConcurrentSessions_DefaultFromConfiguration_429_FreedByDelete_RaisedByPut()
    {
        var client = Factory.ClientFor("solo");
        var first = await CreateSessionAsync(client);

        var refused = await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct);
        await AssertQuotaProblemAsync(refused, "concurrentSessions", "delete a session");
        Assert.Single(Runner.State.Sandboxes); // refused before any sandbox was made

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/sessions/{first.Id}", Ct)).StatusCode);
        var second = await CreateSessionAsync(client);

        await PutPolicyAsync("solo", """{"quotas":{"concurrentSessions":2}}""");
        var third = await CreateSessionAsync(client);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct)).StatusCode);
        Assert.NotEqual(second.Id, third.Id);
    }

    [Fact]
    public async Task Mcp_OverAQuota_IsAToolErrorNamingTheQuota()
    {
        var client = Factory.ClientFor("agent");
        Assert.False((await CallToolAsync(client, "create_session", """{"language":"python"}"""))["isError"]?.GetValue<bool>() ?? false);
        var sessions = await CallToolAsync(client, "create_session", """{"language":"python"}""");
        Assert.True(sessions["isError"]!.GetValue<bool>());
        Assert.Contains("quota concurrentSessions", Text(sessions), StringComparison.Ordinal);
        Assert.Contains("(429)", Text(sessions), StringComparison.Ordinal);

        await PutPolicyAsync("agent", """{"quotas":{"requestsPerSecond":0.01,"burst":1}}""");
        Assert.False((await CallToolAsync(client, "list_runtimes", "{}"))["isError"]?.GetValue<bool>() ?? false);
        var rate = await CallToolAsync(client, "list_runtimes", "{}");
        Assert.True(rate["isError"]!.GetValue<bool>());
        Assert.Contains("quota requestsPerSecond", Text(rate), StringComparison.Ordinal);
    }

    private static string Text(JsonNode result) => result["content"]![0]!["text"]!.GetValue<string>();

    private static async Task<JsonNode> CallToolAsync(HttpClient client, string tool, string arguments)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = Http.Json($$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{tool}}","arguments":""" + arguments + "}}"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        var json = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("data:", StringComparison.Ordinal)) is { } data ? data[5..] : text;
        return JsonNode.Parse(json)!["result"]!;
    }

    private static async Task<JsonElement> AssertQuotaProblemAsync(HttpResponseMessage response, string quota, string advice)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(ProblemTypes.QuotaExceeded, problem.GetProperty("type").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(quota, problem.GetProperty("quota").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("quota " + quota, detail, StringComparison.Ordinal);
        Assert.Contains(advice, detail, StringComparison.OrdinalIgnoreCase);
        return problem;
    }

    private async Task PutPolicyAsync(string tenant, string document)
    {
        var response = await Admin.PutAsync($"/v1/admin/tenants/{tenant}/policy", Http.Json(document), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<Job> SubmitAsync(HttpClient client, string code)
    {
        var response = await client.PostAsync("/v1/jobs", Http.Json(JsonSerializer.Serialize(new { language = "python", code, wait = false })), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadAsync<Job>();
    }

    private static async Task<Session> CreateSessionAsync(HttpClient client)
    {
        var response = await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadAsync<Session>();
    }
}
