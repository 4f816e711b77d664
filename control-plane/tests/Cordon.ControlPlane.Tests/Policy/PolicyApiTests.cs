using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Policy;
using Cordon.Contracts.Problems;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>
/// The admin policy API and policy enforcement through the real control plane (REST and MCP, fake runner), run on
/// SQLite and on PostgreSQL by the subclasses.
/// </summary>
public abstract class PolicyApiTests : IAsyncLifetime
{
    private readonly RecordingAuditSink _audit = new();

    private protected ControlPlaneFactory Factory { get; private set; } = null!;

    private protected FakeRunnerHost Runner { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    private HttpClient Admin => Factory.ClientFor("ops", "admin");

    public virtual async ValueTask InitializeAsync() =>
        (Factory, Runner) = await ControlPlaneFactory.StartAsync(Settings,
            configureServices: services => services.Replace(ServiceDescriptor.Singleton<IAuditSink>(_audit)));

    public virtual async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Runner.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Get_NoDocument_IsTheStrictDefault()
    {
        var response = await Admin.GetAsync("/v1/admin/tenants/acme/policy", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = await response.ReadAsync<TenantPolicy>();
        Assert.True(policy.IsDefault);
        Assert.Equal("acme", policy.Tenant);
        Assert.Equal(TenantPolicyStore.DefaultVersion, policy.Version);
        Assert.Equal("{}", policy.Document.GetRawText());
        Assert.Equal($"\"{policy.Version}\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Put_StoresTheCanonicalDocument_VersionAndHistory()
    {
        var first = await PutAsync("acme", """{ "secrets": ["API_TOKEN"], "runtimes": { "python": {} } }""");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var stored = await first.ReadAsync<TenantPolicy>();
        Assert.False(stored.IsDefault);
        Assert.Equal("""{"runtimes":{"python":{}},"secrets":["API_TOKEN"]}""", stored.Document.GetRawText());
        Assert.Equal(PolicyHash("""{"runtimes":{"python":{}},"secrets":["API_TOKEN"]}"""), stored.Version);
        Assert.Equal("ops/user-1", stored.UpdatedBy);

        var second = await (await PutAsync("acme", """{"runtimes":{"python":{},"c":{}}}""")).ReadAsync<TenantPolicy>();
        var current = await (await Admin.GetAsync("/v1/admin/tenants/acme/policy", Ct)).ReadAsync<TenantPolicy>();
        Assert.Equal(second.Version, current.Version);
        Assert.Equal(second.Document.GetRawText(), current.Document.GetRawText());

        var history = await (await Admin.GetAsync("/v1/admin/tenants/acme/policy/history", Ct)).ReadAsync<TenantPolicyHistory>();
        Assert.Equal([second.Version, stored.Version], history.Items.Select(i => i.Version));
        Assert.All(history.Items, i => Assert.Equal("ops/user-1", i.ChangedBy));
        Assert.Contains(_audit.Events, e => e.Action == AuditActions.PolicyUpdate && e.Tenant == "acme" && e.Detail!.Contains(second.Version, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_IfMatch_GuardsAgainstLostUpdates()
    {
        var stale = await PutAsync("acme", "{}", ifMatch: "\"sha256:0000\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(ProblemTypes.PreconditionFailed, (await Problem(stale)).Type);

        var onDefault = await PutAsync("acme", """{"runtimes":{"python":{}}}""", ifMatch: $"\"{TenantPolicyStore.DefaultVersion}\"");
        Assert.Equal(HttpStatusCode.OK, onDefault.StatusCode);
        var etag = onDefault.Headers.ETag!.Tag;

        Assert.Equal(HttpStatusCode.OK, (await PutAsync("acme", """{"runtimes":{"c":{}}}""", ifMatch: etag)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutAsync("acme", "{}", ifMatch: etag)).StatusCode);
    }

    [Theory]
    [InlineData("""{"egress":["api.example.com:443","x.org:80","*.foo"]}""", "egress[2]", "'*.foo' needs a port")]
    [InlineData("""{"runtimes":{"python":{"dependencies":[{"name":"requests","version":"=>2"}]}}}""", "runtimes.python.dependencies[0].version", "PEP 440")]
    [InlineData("""{"unknown":true}""", "unknown", "not a field")]
    [InlineData("""{"maxLimits":{"memoryMb":1000000}}""", "maxLimits.memoryMb", "ceiling")]
    [InlineData("""not json""", "$", "JSON")]
    public async Task Put_InvalidDocument_400NamesTheField(string body, string field, string message)
    {
        var response = await PutAsync("acme", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct);
        Assert.Equal(ProblemTypes.Validation, problem!.Type);
        Assert.Contains(problem.Errors[field], m => m.Contains(message, StringComparison.Ordinal));
        Assert.True((await (await Admin.GetAsync("/v1/admin/tenants/acme/policy", Ct)).ReadAsync<TenantPolicy>()).IsDefault);
    }

    [Fact]
    public async Task AdminApi_NeedsTheAdminScope_AndAValidTenant()
    {
        var user = Factory.ClientFor("acme", "jobs:run sessions:use");
        var response = await user.PutAsync("/v1/admin/tenants/acme/policy", Http.Json("""{"runtimes":{"python":{},"c":{}}}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ProblemTypes.Forbidden, (await Problem(response)).Type);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/v1/admin/tenants/acme/policy", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync("/v1/admin/tenants/bad%20tenant/policy", Ct)).StatusCode);
    }

    [Fact]
    public async Task Policy_IsPerTenant()
    {
        await PutAsync("globex", """{"runtimes":{"c":{}}}""");

        Assert.Equal(HttpStatusCode.OK, (await Factory.ClientFor("acme").PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a"}"""), Ct)).StatusCode);
        var denied = await Factory.ClientFor("globex").PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a"}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.True((await (await Admin.GetAsync("/v1/admin/tenants/acme/policy", Ct)).ReadAsync<TenantPolicy>()).IsDefault);
    }

    [Fact]
    public async Task Job_Denied_403WithRulesAndAnActionableSentence_NothingStoredOrRun()
    {
        var put = await (await PutAsync("acme", """{"runtimes":{"python":{}}}""")).ReadAsync<TenantPolicy>();
        var client = Factory.ClientFor("acme");

        var response = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"c","code":"int main(){}"}"""), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal(ProblemTypes.PolicyDenied, problem.Type);
        Assert.Equal(["runtime.denied"], ((JsonElement)problem.Extensions["rules"]!).EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(put.Version, ((JsonElement)problem.Extensions["policyVersion"]!).GetString());
        Assert.Contains("may not use runtime 'c'", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("allows python", problem.Detail, StringComparison.Ordinal);
        Assert.Empty((await (await client.GetAsync("/v1/jobs", Ct)).ReadAsync<JobPage>()).Items);
        Assert.Null(Runner.State.LastRunJob);
        var audited = Assert.Single(_audit.Events, e => e.Action == AuditActions.PolicyDecision);
        Assert.Equal("denied", audited.Outcome);
        Assert.Contains("policyVersion=" + put.Version, audited.Detail, StringComparison.Ordinal);
        Assert.Contains("rules=runtime.denied", audited.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_WaitFalseDenied_StoredRejectedWithTheRuleInError()
    {
        await PutAsync("acme", """{"runtimes":{"python":{}}}""");
        var client = Factory.ClientFor("acme");

        var response = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"c","code":"int main(){}","wait":false}"""), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.ReadAsync<Job>();
        Assert.Equal(JobStatus.Rejected, job.Status);
        Assert.Contains("[rule runtime.denied]", job.Error, StringComparison.Ordinal);
        var stored = await (await client.GetAsync($"/v1/jobs/{job.Id}", Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Rejected, stored.Status);
        Assert.Equal(job.Error, stored.Error);
        Assert.Null(Runner.State.LastRunJob);
    }

    [Fact]
    public async Task Job_Allowed_RunsWithTheEffectiveLimits_AndIsAudited()
    {
        var client = Factory.ClientFor("acme");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a","limits":{"memoryMb":512}}"""), Ct)).StatusCode);
        var defaults = Runner.State.LastRunJob!.Limits;
        Assert.Equal((10_000L, 512, 1.0, 128, 1_048_576L, 128), (defaults.TimeoutMs, defaults.MemoryMb, defaults.Cpus, defaults.Pids, defaults.OutputBytes, defaults.DiskMb));

        await PutAsync("acme", """{"maxLimits":{"memoryMb":128,"timeoutMs":2000},"runtimes":{"c":{"maxLimits":{"pids":16}},"python":{}}}""");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a","limits":{"memoryMb":1000}}"""), Ct)).StatusCode);
        var clamped = Runner.State.LastRunJob!.Limits;
        Assert.Equal((2000L, 128), (clamped.TimeoutMs, clamped.MemoryMb));

        // c's runner reports no defaults: the configured fallback fills them in, under c's own maxima.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"c","code":"out a"}"""), Ct)).StatusCode);
        var fallback = Runner.State.LastRunJob!.Limits;
        Assert.Equal((2000L, 128, 16, 1_048_576L), (fallback.TimeoutMs, fallback.MemoryMb, fallback.Pids, fallback.OutputBytes));

        var decisions = _audit.Events.Where(e => e.Action == AuditActions.PolicyDecision).ToList();
        Assert.Equal(3, decisions.Count);
        Assert.All(decisions, d => Assert.Equal("allowed", d.Outcome));
        Assert.Contains("policyVersion=" + TenantPolicyStore.DefaultVersion, decisions[0].Detail, StringComparison.Ordinal);
        Assert.Contains("limits.clamped", decisions[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Egress_Denied403_AllowedGoesToTheRunnerAndIsReported_Malformed400()
    {
        var client = Factory.ClientFor("acme");
        const string body = """{"language":"python","code":"connect api.example.com:443 allowed 120 4000\nconnect evil.test:443 denied 0 0","network":{"egress":["api.example.com:443"]}}""";

        var denied = await client.PostAsync("/v1/jobs", Http.Json(body), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("egress.denied", ((JsonElement)(await Problem(denied)).Extensions["rules"]!).GetRawText(), StringComparison.Ordinal);
        Assert.Null(Runner.State.LastRunJob);

        await PutAsync("acme", """{"egress":["*.example.com:443"]}""");
        var allowed = await client.PostAsync("/v1/jobs", Http.Json(body), Ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(["api.example.com:443"], Runner.State.LastRunJob!.Egress);
        var job = await allowed.ReadAsync<Job>();
        Assert.Equal(new JobNetwork { Connections = 2, Denied = 1, BytesOut = 120, BytesIn = 4000 }, job.Network);
        Assert.Equal(job.Network, (await JobPolling.GetJobAsync(client, job.Id)).Network);
        var allow = Assert.Single(_audit.Events, e => e.Action == AuditActions.EgressAllow);
        Assert.Equal((job.Id, "allowed"), (allow.ResourceId, allow.Outcome));
        Assert.Contains("api.example.com:443 (198.51.100.7) by rule api.example.com:443: 120 bytes out, 4000 in", allow.Detail, StringComparison.Ordinal);
        var deny = Assert.Single(_audit.Events, e => e.Action == AuditActions.EgressDeny);
        Assert.Contains("evil.test:443 (198.51.100.7): not in this sandbox's allowlist", deny.Detail, StringComparison.Ordinal);

        var session = await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python","network":{"egress":["api.example.com:443"]}}"""), Ct);
        Assert.Equal(HttpStatusCode.Created, session.StatusCode);
        Assert.Equal(["api.example.com:443"], Runner.State.LastCreateSandbox!.Egress);
        var plain = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a"}"""), Ct)).ReadAsync<Job>();
        Assert.Null(plain.Network);
        Assert.Empty(Runner.State.LastRunJob!.Egress);

        var malformed = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a","network":{"egress":["api.example.com"]}}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var validation = await malformed.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct);
        Assert.Contains("needs a port", validation!.Errors["network.egress[0]"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxySecret_HostsJoinTheEgressThePolicyDecides_OutsideIt403()
    {
        await PutAsync("acme", """{"secrets":["API_TOKEN"],"egress":["api.example.com:443"]}""");
        var client = Factory.ClientFor("acme");

        var outside = await client.PostAsync("/v1/jobs", Http.Json(
            """{"language":"python","code":"out a","network":{"egress":["api.example.com:443"]},"secrets":[{"name":"API_TOKEN","mode":"proxy","hosts":["evil.test:443"]}]}"""), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        var problem = await Problem(outside);
        Assert.Contains("egress.denied", ((JsonElement)problem.Extensions["rules"]!).GetRawText(), StringComparison.Ordinal);
        Assert.Contains("evil.test:443", problem.Detail, StringComparison.Ordinal);
        Assert.Null(Runner.State.LastRunJob);
    }

    [Fact]
    public async Task Dependencies_CheckedAgainstTheAllowlist_AndSentToTheRunnerWithIt()
    {
        await PutAsync("acme", """{"runtimes":{"python":{"dependencies":[{"name":"requests","version":">=2.31,<3"},{"name":"urllib3"}]}}}""");
        var client = Factory.ClientFor("acme");

        var outside = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"x","dependencies":["requests==3.0.0"]}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Contains("requests==3.0.0 (allowed: requests >=2.31,<3)", (await Problem(outside)).Detail, StringComparison.Ordinal);
        var offList = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"x","dependencies":["leftpad>=1"]}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, offList.StatusCode);
        Assert.Contains("leftpad>=1 (not on the allowlist)", (await Problem(offList)).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"x","dependencies":["requests[socks]==2.32.3"]}"""), Ct)).StatusCode);

        var pinned = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"x","dependencies":["Requests == 2.32.3"]}"""), Ct);
        Assert.True(pinned.IsSuccessStatusCode, await pinned.Content.ReadAsStringAsync(Ct));
        var sent = Runner.State.LastRunJob!;
        Assert.Equal(["requests==2.32.3"], sent.Dependencies);
        // The whole allowlist goes with it: the installer admits transitive packages only from it.
        Assert.Equal(["requests >=2.31,<3", "urllib3 "], sent.PackageRules.Select(r => $"{r.Name} {r.Constraint}"));

        var range = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"x","dependencies":["requests>=2"]}"""), Ct);
        Assert.True(range.IsSuccessStatusCode, await range.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["requests>=2"], Runner.State.LastRunJob!.Dependencies);

        var session = await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python","dependencies":["requests==2.32.3"]}"""), Ct);
        Assert.Equal(HttpStatusCode.NotImplemented, session.StatusCode);
        Assert.Contains("dependency installation in sessions", (await Problem(session)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_CreateDenied403_ExecDeniedOnceThePolicyChanges()
    {
        await PutAsync("acme", """{"runtimes":{"c":{}}}""");
        var client = Factory.ClientFor("acme");
        var denied = await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(ProblemTypes.PolicyDenied, (await Problem(denied)).Type);

        await PutAsync("acme", """{"runtimes":{"python":{"maxLimits":{"timeoutMs":3000}}}}""");
        var session = await (await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct)).ReadAsync<Session>();
        Assert.Equal(3000, Runner.State.LastCreateSandbox!.Limits.TimeoutMs);
        var exec = await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"out hi","timeoutMs":60000}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, exec.StatusCode);
        Assert.Equal(3000, Runner.State.LastExec!.TimeoutMs);

        await PutAsync("acme", """{"runtimes":{"c":{}}}""");
        var refused = await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"out hi"}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var rejected = await (await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"out hi","wait":false}"""), Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Rejected, rejected.Status);
        Assert.Equal(session.Id, rejected.SessionId);
        Assert.Equal(SessionStatus.Ready, (await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>()).Status);
    }

    [Fact]
    public async Task Mcp_RunCodeDenied_IsAToolErrorNamingTheRule()
    {
        await PutAsync("acme", """{"runtimes":{"c":{}}}""");
        var client = Factory.ClientFor("acme");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = Http.Json("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"run_code","arguments":{"language":"python","code":"out a"}}}"""),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var json = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("data:", StringComparison.Ordinal)) is { } data ? data[5..] : text;
        var result = JsonNode.Parse(json)!["result"]!;

        Assert.True(result["isError"]!.GetValue<bool>());
        var message = result["content"]![0]!["text"]!.GetValue<string>();
        Assert.Contains("[rule runtime.denied]", message, StringComparison.Ordinal);
        Assert.Contains("Denied by policy (403)", message, StringComparison.Ordinal);
        Assert.Null(Runner.State.LastRunJob);
    }

    private async Task<HttpResponseMessage> PutAsync(string tenant, string body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/admin/tenants/{tenant}/policy") { Content = Http.Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await Admin.SendAsync(request, Ct);
    }

    private static async Task<ProblemDetails> Problem(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!;

    private static string PolicyHash(string canonical) => CanonicalJson.Hash(canonical);
}
