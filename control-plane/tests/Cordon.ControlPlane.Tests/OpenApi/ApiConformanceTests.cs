using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;

namespace Cordon.ControlPlane.Tests.OpenApi;

/// <summary>
/// Real answers of the control plane (over a fake runner) to jobs, sessions, files, policy, secrets and their
/// problems, each checked against the served OpenAPI document: the status is documented, the media type named,
/// the body valid against the schema.
/// </summary>
public sealed class ApiConformanceTests : IAsyncLifetime
{
    private readonly string _keyDir = Directory.CreateTempSubdirectory("cordon-keys-").FullName;
    private ControlPlaneFactory _factory = null!;
    private FakeRunnerHost _runner = null!;
    private OpenApiContract _contract = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var keyFile = Path.Combine(_keyDir, "master.key");
        MasterKeyFile.CreateNew(keyFile);
        (_factory, _runner) = await ControlPlaneFactory.StartAsync(new Dictionary<string, string?> { ["Cordon:Secrets:MasterKeyFile"] = keyFile });
        _contract = await OpenApiContract.LoadAsync(_factory.CreateClient());
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
        Directory.Delete(_keyDir, recursive: true);
    }

    [Fact]
    public async Task Jobs_EveryAnswer_MatchesTheDocument()
    {
        var client = _factory.ClientFor();

        var finished = await CheckAsync(await client.PostAsync("/v1/jobs", Http.Json("""{"language":"py","code":"out hello\nerr oops\nartifact out.txt data","artifacts":["*.txt"]}"""), Ct), "/v1/jobs", HttpStatusCode.OK);
        var id = finished.GetProperty("id").GetString()!;
        await CheckAsync(await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"exit 3"}"""), Ct), "/v1/jobs", HttpStatusCode.OK);
        var queued = await CheckAsync(await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"sleep 5000","wait":false}"""), Ct), "/v1/jobs", HttpStatusCode.Accepted);
        await JobPolling.WaitForStatusAsync(client, queued.GetProperty("id").GetString()!, Cordon.Contracts.Jobs.JobStatus.Running);
        await CheckAsync(await client.PostAsync($"/v1/jobs/{queued.GetProperty("id").GetString()}/cancel", null, Ct), "/v1/jobs/{id}/cancel", HttpStatusCode.OK);

        await CheckAsync(await client.GetAsync($"/v1/jobs/{id}", Ct), "/v1/jobs/{id}", HttpStatusCode.OK);
        var page = await CheckAsync(await client.GetAsync("/v1/jobs?limit=2", Ct), "/v1/jobs", HttpStatusCode.OK);
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        await CheckAsync(await client.GetAsync($"/v1/jobs/{id}/artifacts/out.txt", Ct), "/v1/jobs/{id}/artifacts/{path}", HttpStatusCode.OK);

        await CheckAsync(await client.GetAsync("/v1/jobs/job_nope", Ct), "/v1/jobs/{id}", HttpStatusCode.NotFound);
        await CheckAsync(await client.GetAsync("/v1/jobs?limit=nope", Ct), "/v1/jobs", HttpStatusCode.BadRequest);
        var invalid = await CheckAsync(await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"x","limits":{"memoryMb":-1}}"""), Ct), "/v1/jobs", HttpStatusCode.BadRequest);
        Assert.True(invalid.TryGetProperty("errors", out _));
        await CheckAsync(await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"x","bogus":1}"""), Ct), "/v1/jobs", HttpStatusCode.BadRequest);
        await CheckAsync(await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"x","network":{"egress":["pypi.org:443"]}}"""), Ct), "/v1/jobs", HttpStatusCode.Forbidden);

        var anonymous = _factory.CreateClient();
        await CheckAsync(await anonymous.GetAsync("/v1/jobs", Ct), "/v1/jobs", HttpStatusCode.Unauthorized);
        await CheckAsync(await _factory.ClientFor(scopes: "files:rw").GetAsync("/v1/jobs", Ct), "/v1/jobs", HttpStatusCode.Forbidden);
        await CheckAsync(await anonymous.GetAsync("/v1/info", Ct), "/v1/info", HttpStatusCode.OK);
        await CheckAsync(await client.GetAsync("/v1/runtimes", Ct), "/v1/runtimes", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sessions_EveryAnswer_MatchesTheDocument()
    {
        var client = _factory.ClientFor();

        var session = await CheckAsync(await client.PostAsync("/v1/sessions", Http.Json("""{"language":"py","idleTimeoutSec":60,"ttlSec":120}"""), Ct), "/v1/sessions", HttpStatusCode.Created);
        var id = session.GetProperty("id").GetString()!;
        await CheckAsync(await client.GetAsync($"/v1/sessions/{id}", Ct), "/v1/sessions/{id}", HttpStatusCode.OK);
        await CheckAsync(await client.PostAsync($"/v1/sessions/{id}/exec", Http.Json("""{"code":"out 42"}"""), Ct), "/v1/sessions/{id}/exec", HttpStatusCode.OK);
        await CheckAsync(await client.PostAsync($"/v1/sessions/{id}/exec", Http.Json("""{"command":"sleep 1000","wait":false}"""), Ct), "/v1/sessions/{id}/exec", HttpStatusCode.Accepted);
        await CheckAsync(await client.PostAsync($"/v1/sessions/{id}/exec", Http.Json("""{"command":"echo hi"}"""), Ct), "/v1/sessions/{id}/exec", HttpStatusCode.Conflict);
        await CheckAsync(await client.PostAsync($"/v1/sessions/{id}/exec", Http.Json("""{}"""), Ct), "/v1/sessions/{id}/exec", HttpStatusCode.BadRequest);

        var second = (await CheckAsync(await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct), "/v1/sessions", HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await CheckAsync(await client.PutAsync($"/v1/sessions/{second}/files/dir/a.txt", new ByteArrayContent("hello"u8.ToArray()), Ct), "/v1/sessions/{id}/files/{path}", HttpStatusCode.NoContent);
        await CheckAsync(await client.GetAsync($"/v1/sessions/{second}/files?path=dir", Ct), "/v1/sessions/{id}/files", HttpStatusCode.OK);
        await CheckAsync(await client.GetAsync($"/v1/sessions/{second}/files/dir/a.txt", Ct), "/v1/sessions/{id}/files/{path}", HttpStatusCode.OK);
        await CheckAsync(await client.DeleteAsync($"/v1/sessions/{second}/files/dir/a.txt", Ct), "/v1/sessions/{id}/files/{path}", HttpStatusCode.NoContent);
        await CheckAsync(await client.GetAsync($"/v1/sessions/{second}/files/dir/a.txt", Ct), "/v1/sessions/{id}/files/{path}", HttpStatusCode.NotFound);
        await CheckAsync(await client.GetAsync($"/v1/sessions/{second}/files?path=../etc", Ct), "/v1/sessions/{id}/files", HttpStatusCode.BadRequest);

        await CheckAsync(await client.DeleteAsync($"/v1/sessions/{second}", Ct), "/v1/sessions/{id}", HttpStatusCode.NoContent);
        await CheckAsync(await client.GetAsync("/v1/sessions/ses_nope", Ct), "/v1/sessions/{id}", HttpStatusCode.NotFound);
        await CheckAsync(await client.PostAsync("/v1/sessions", Http.Json("""{"language":"cobol"}"""), Ct), "/v1/sessions", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PolicyAndSecrets_EveryAnswer_MatchesTheDocument()
    {
        var admin = _factory.ClientFor("ops", "admin");
        var tenant = _factory.ClientFor("acme", "secrets:write jobs:run");

        await CheckAsync(await admin.GetAsync("/v1/admin/tenants/acme/policy", Ct), "/v1/admin/tenants/{tenant}/policy", HttpStatusCode.OK);
        var put = await admin.PutAsync("/v1/admin/tenants/acme/policy", Http.Json("""{"secrets":["API_TOKEN"],"egress":["pypi.org:443"]}"""), Ct);
        var policy = await CheckAsync(put, "/v1/admin/tenants/{tenant}/policy", HttpStatusCode.OK);
        Assert.Equal($"\"{policy.GetProperty("version").GetString()}\"", put.Headers.ETag?.Tag);
        var stale = new HttpRequestMessage(HttpMethod.Put, "/v1/admin/tenants/acme/policy") { Content = Http.Json("{}") };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"sha256:0000\""));
        await CheckAsync(await admin.SendAsync(stale, Ct), "/v1/admin/tenants/{tenant}/policy", HttpStatusCode.PreconditionFailed);
        await CheckAsync(await admin.PutAsync("/v1/admin/tenants/acme/policy", Http.Json("""{"egress":[1]}"""), Ct), "/v1/admin/tenants/{tenant}/policy", HttpStatusCode.BadRequest);
        await CheckAsync(await admin.GetAsync("/v1/admin/tenants/acme/policy/history", Ct), "/v1/admin/tenants/{tenant}/policy/history", HttpStatusCode.OK);

        await CheckAsync(await tenant.PutAsync("/v1/secrets/API_TOKEN", Http.Json("""{"value":"tok-123"}"""), Ct), "/v1/secrets/{name}", HttpStatusCode.NoContent);
        await CheckAsync(await tenant.PutAsync("/v1/secrets/bad-name", Http.Json("""{"value":"x"}"""), Ct), "/v1/secrets/{name}", HttpStatusCode.BadRequest);
        var listed = await CheckAsync(await tenant.GetAsync("/v1/secrets", Ct), "/v1/secrets", HttpStatusCode.OK);
        Assert.Equal("API_TOKEN", listed[0].GetProperty("name").GetString());

        var job = await CheckAsync(await tenant.PostAsync("/v1/jobs", Http.Json(
            """{"language":"python","code":"connect pypi.org:443 allowed 517 4213\nout done","secrets":[{"name":"API_TOKEN","file":true}],"network":{"egress":["pypi.org:443"]}}"""), Ct), "/v1/jobs", HttpStatusCode.OK);
        Assert.Equal(1, job.GetProperty("network").GetProperty("connections").GetInt64());

        await CheckAsync(await tenant.DeleteAsync("/v1/secrets/API_TOKEN", Ct), "/v1/secrets/{name}", HttpStatusCode.NoContent);
        await CheckAsync(await tenant.DeleteAsync("/v1/secrets/API_TOKEN", Ct), "/v1/secrets/{name}", HttpStatusCode.NotFound);
        await CheckAsync(await admin.PostAsync("/v1/admin/secrets/rotate-master-key", null, Ct), "/v1/admin/secrets/rotate-master-key", HttpStatusCode.OK);
    }

    /// <summary>Checks the answer against the document; returns its JSON body (or an empty object).</summary>
    private async Task<JsonElement> CheckAsync(HttpResponseMessage response, string template, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await _contract.CheckAsync(response, template);
            Assert.True(expected == response.StatusCode, $"{response.RequestMessage!.Method} {template}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            return body.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                ? JsonDocument.Parse(body).RootElement.Clone()
                : default;
        }
    }
}
