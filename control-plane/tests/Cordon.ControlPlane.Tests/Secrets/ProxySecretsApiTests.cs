using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cordon.ControlPlane.Tests.Secrets;

/// <summary>
/// Proxy secrets through the real control plane to the (fake) runner: the runner gets the value, a fresh placeholder
/// and the hosts (which join the sandbox's egress); the substitutions and placeholder leaks the proxy reports are
/// audited by name; malformed requests are 400s that say what to fix.
/// </summary>
public sealed class ProxySecretsApiTests : IAsyncLifetime
{
    private const string Value = "tok-proxy-7f3a";
    private const string Proxy = """{"name":"API_TOKEN","mode":"proxy","hosts":["API.example.com:443"]}""";
    private readonly RecordingAuditSink _audit = new();
    private readonly string _keyDir = Directory.CreateTempSubdirectory("cordon-keys-").FullName;
    private ControlPlaneFactory _factory = null!;
    private FakeRunnerHost _runner = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Acme => _factory.ClientFor("acme", "secrets:write jobs:run sessions:use");

    public async ValueTask InitializeAsync()
    {
        var keyFile = Path.Combine(_keyDir, "master.key");
        MasterKeyFile.CreateNew(keyFile);
        (_factory, _runner) = await ControlPlaneFactory.StartAsync(
            new Dictionary<string, string?> { ["Cordon:Secrets:MasterKeyFile"] = keyFile },
            configureServices: services => services.Replace(ServiceDescriptor.Singleton<IAuditSink>(_audit)));
        (await Acme.PutAsync("/v1/secrets/API_TOKEN", Http.Json($$"""{"value":"{{Value}}"}"""), Ct)).EnsureSuccessStatusCode();
        var policy = """{"secrets":["API_TOKEN"],"egress":["*.example.com:443","api.example.com:80"]}""";
        (await _factory.ClientFor("ops", "admin").PutAsync("/v1/admin/tenants/acme/policy", Http.Json(policy), Ct)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
        Directory.Delete(_keyDir, recursive: true);
    }

    [Fact]
    public async Task Job_ProxySecret_RunnerGetsValuePlaceholderHosts_UsesAndLeaksAudited()
    {
        const string code = "connect api.example.com:443 allowed 100 200 used=API_TOKEN\\nconnect api.example.com:80 allowed 10 20 leak=API_TOKEN";

        var response = await Acme.PostAsync("/v1/jobs", Http.Json($$"""{"language":"python","code":"{{code}}","secrets":[{{Proxy}}]}"""), Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var sent = Assert.Single(_runner.State.LastRunJob!.Secrets);
        Assert.Equal(("API_TOKEN", Value, true, false, false), (sent.Name, sent.Value.ToStringUtf8(), sent.Proxy, sent.Env, sent.File));
        Assert.Matches("^cordon-ph-[0-9a-f]{32}$", sent.Placeholder);
        Assert.Equal(["api.example.com:443"], sent.Hosts);
        Assert.Equal(["api.example.com:443"], _runner.State.LastRunJob.Egress);
        var jobId = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();

        var inject = Assert.Single(_audit.Events, e => e.Action == AuditActions.SecretInject);
        Assert.Equal("secret=API_TOKEN mode=proxy hosts=api.example.com:443", inject.Detail);
        var use = Assert.Single(_audit.Events, e => e.Action == AuditActions.SecretUse);
        Assert.Equal((jobId, "substituted", "secret=API_TOKEN host=api.example.com:443"), (use.ResourceId, use.Outcome, use.Detail));
        var leak = Assert.Single(_audit.Events, e => e.Action == AuditActions.SecretPlaceholderLeak);
        Assert.Equal((jobId, "not substituted"), (leak.ResourceId, leak.Outcome));
        Assert.StartsWith("secret=API_TOKEN host=api.example.com:80", leak.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_audit.Events, e => (e.Detail ?? "").Contains(Value, StringComparison.Ordinal) || (e.Detail ?? "").Contains(sent.Placeholder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sessions_ProxySecret_EachSandboxItsOwnPlaceholder()
    {
        var placeholders = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var response = await Acme.PostAsync("/v1/sessions", Http.Json($$"""{"language":"python","network":{"egress":["api.example.com:80"]},"secrets":[{{Proxy}}]}"""), Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var created = _runner.State.LastCreateSandbox!;
            var secret = Assert.Single(created.Secrets);
            Assert.Equal((true, Value), (secret.Proxy, secret.Value.ToStringUtf8()));
            Assert.Equal(["api.example.com:80", "api.example.com:443"], created.Egress);
            placeholders.Add(secret.Placeholder);
        }

        Assert.NotEqual(placeholders[0], placeholders[1]);
    }

    [Fact]
    public async Task RunCode_ProxySecrets_ReachTheRunnerAsProxySecrets()
    {
        var arguments = """{"language":"python","code":"out ok","proxySecrets":[{"name":"API_TOKEN","hosts":["api.example.com:443"]}]}""";
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"run_code","arguments":""" + arguments + "}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await Acme.SendAsync(request, Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.DoesNotContain("\"isError\":true", text, StringComparison.Ordinal);
        var sent = Assert.Single(_runner.State.LastRunJob!.Secrets);
        Assert.True(sent.Proxy);
        Assert.Equal(["api.example.com:443"], sent.Hosts);
    }

    [Theory]
    [InlineData("""{"name":"API_TOKEN","mode":"proxy"}""", "secrets[0].hosts", "needs \"hosts\"")]
    [InlineData("""{"name":"API_TOKEN","mode":"proxy","hosts":[]}""", "secrets[0].hosts", "needs \"hosts\"")]
    [InlineData("""{"name":"API_TOKEN","mode":"proxy","file":true,"hosts":["api.example.com:443"]}""", "secrets[0].file", "cannot be a file")]
    [InlineData("""{"name":"API_TOKEN","mode":"proxy","env":false,"hosts":["api.example.com:443"]}""", "secrets[0].env", "placeholder")]
    [InlineData("""{"name":"API_TOKEN","mode":"proxy","hosts":["api.example.com"]}""", "secrets[0].hosts[0]", "needs a port")]
    [InlineData("""{"name":"API_TOKEN","mode":"proxy","hosts":["*.example.com:443"]}""", "secrets[0].hosts[0]", "wildcards")]
    [InlineData("""{"name":"API_TOKEN","hosts":["api.example.com:443"]}""", "secrets[0].hosts", "Only a proxy secret")]
    public async Task Job_MalformedProxySecret_400NamesTheField(string secret, string field, string words)
    {
        var response = await Acme.PostAsync("/v1/jobs", Http.Json($$"""{"language":"python","code":"1","secrets":[{{secret}}]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors;
        Assert.True(errors.TryGetValue(field, out var messages), string.Join(", ", errors.Keys));
        Assert.Contains(words, messages.Single(), StringComparison.Ordinal);
        Assert.Null(_runner.State.LastRunJob);
    }

    [Fact]
    public async Task Job_HostsNotAnArray_400()
    {
        var response = await Acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"1","secrets":[{"name":"API_TOKEN","mode":"proxy","hosts":"api.example.com:443"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hosts", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_ProxySecretHostThePolicyDoesNotAllow_403NothingRuns()
    {
        var response = await Acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"1","secrets":[{"name":"API_TOKEN","mode":"proxy","hosts":["api.example.com:8443"]}]}"""), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("api.example.com:8443", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(_runner.State.LastRunJob);
        Assert.DoesNotContain(_audit.Events, e => e.Action == AuditActions.SecretInject);
    }
}
