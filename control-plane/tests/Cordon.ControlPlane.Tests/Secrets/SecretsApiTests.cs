using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Problems;
using Cordon.Contracts.Secrets;
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
/// The secrets API, encryption at rest, rotation and delivery to the (fake) runner through the real control plane, on
/// SQLite and on PostgreSQL by the subclasses, which also read the stored rows.
/// </summary>
public abstract class SecretsApiTests : IAsyncLifetime
{
    private readonly RecordingAuditSink _audit = new();
    private readonly string _keyDir = Directory.CreateTempSubdirectory("cordon-keys-").FullName;

    private protected ControlPlaneFactory Factory { get; private set; } = null!;

    private protected FakeRunnerHost Runner { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected string KeyFile => Path.Combine(_keyDir, "master.key");

    protected virtual IReadOnlyDictionary<string, string?> StorageSettings => new Dictionary<string, string?>();

    private HttpClient Acme => Factory.ClientFor("acme", "secrets:write jobs:run sessions:use");

    public virtual async ValueTask InitializeAsync()
    {
        MasterKeyFile.CreateNew(KeyFile);
        var settings = new Dictionary<string, string?>(StorageSettings) { ["Cordon:Secrets:MasterKeyFile"] = KeyFile };
        (Factory, Runner) = await ControlPlaneFactory.StartAsync(settings,
            configureServices: services => services.Replace(ServiceDescriptor.Singleton<IAuditSink>(_audit)));
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Runner.DisposeAsync();
        Directory.Delete(_keyDir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Every stored <c>secrets</c> row, each column as bytes (text as UTF-8).</summary>
    private protected abstract Task<IReadOnlyList<(string KeyId, IReadOnlyList<byte[]> Columns)>> ReadRowsAsync();

    [Fact]
    public async Task PutListDelete_NamesAndTimes_NeverValues()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await PutAsync(Acme, "API_TOKEN", "tok-123")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PutAsync(Acme, "DB_PASSWORD", "pw-456")).StatusCode);

        var response = await Acme.GetAsync("/v1/secrets", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("tok-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-456", text, StringComparison.Ordinal);
        var listed = await response.ReadAsync<IReadOnlyList<SecretInfo>>();
        Assert.Equal(["API_TOKEN", "DB_PASSWORD"], listed.Select(s => s.Name));

        await Task.Delay(20, Ct);
        await PutAsync(Acme, "API_TOKEN", "tok-789");
        var replaced = (await (await Acme.GetAsync("/v1/secrets", Ct)).ReadAsync<IReadOnlyList<SecretInfo>>()).Single(s => s.Name == "API_TOKEN");
        Assert.Equal(listed[0].CreatedAt, replaced.CreatedAt);
        Assert.True(replaced.UpdatedAt > listed[0].UpdatedAt);

        Assert.Equal(HttpStatusCode.NoContent, (await Acme.DeleteAsync("/v1/secrets/API_TOKEN", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Acme.DeleteAsync("/v1/secrets/API_TOKEN", Ct)).StatusCode);
        Assert.Equal(["DB_PASSWORD"], (await (await Acme.GetAsync("/v1/secrets", Ct)).ReadAsync<IReadOnlyList<SecretInfo>>()).Select(s => s.Name));
        Assert.Contains(_audit.Events, e => e.Action == AuditActions.SecretPut && e.ResourceId == "API_TOKEN" && e.Tenant == "acme");
        Assert.Contains(_audit.Events, e => e.Action == AuditActions.SecretDelete && e.ResourceId == "API_TOKEN");
        Assert.DoesNotContain(_audit.Events, e => (e.Detail ?? "").Contains("tok-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("api_token")]
    [InlineData("1TOKEN")]
    [InlineData("TOKEN-1")]
    [InlineData("A2345678901234567890123456789012345678901234567890123456789012345")]
    public async Task Put_BadName_400NamingTheName(string name)
    {
        var response = await PutAsync(Acme, name, "x");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct);
        Assert.Contains("name", problem!.Errors.Keys);
    }

    [Fact]
    public async Task Put_BadValues_400NamingTheValue()
    {
        var limit = new string('v', SecretsAdmin.MaxValueBytes);
        Assert.Equal(HttpStatusCode.NoContent, (await PutAsync(Acme, "LARGEST", limit)).StatusCode);

        foreach (var body in new[]
        {
            Json(limit + "v"),
            Json(""),
            Json("a\u0000b"),
            """{ }""",
            """{ "value": 42 }""",
            """{ "value": "x", "other": 1 }""",
        })
        {
            var response = await Acme.PutAsync("/v1/secrets/TOO_LARGE", Http.Json(body), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct);
            Assert.Equal(ProblemTypes.Validation, problem!.Type);
            Assert.NotEmpty(problem.Errors);
        }

        var tooLarge = await Acme.PutAsync("/v1/secrets/TOO_LARGE", Http.Json(Json(limit + "v")), Ct);
        Assert.Contains("value", (await tooLarge.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors.Keys);
        Assert.DoesNotContain((await (await Acme.GetAsync("/v1/secrets", Ct)).ReadAsync<IReadOnlyList<SecretInfo>>()), s => s.Name == "TOO_LARGE");
    }

    [Fact]
    public async Task Tenancy_AnotherTenantsSecret_Is404AndNeverInjected()
    {
        await PutAsync(Acme, "API_TOKEN", "acme-only");
        await AllowSecretsAsync("globex", "API_TOKEN");
        var globex = Factory.ClientFor("globex", "secrets:write jobs:run sessions:use");

        Assert.Empty(await (await globex.GetAsync("/v1/secrets", Ct)).ReadAsync<IReadOnlyList<SecretInfo>>());
        Assert.Equal(HttpStatusCode.NotFound, (await globex.DeleteAsync("/v1/secrets/API_TOKEN", Ct)).StatusCode);
        var job = await globex.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"print(1)","secrets":["API_TOKEN"]}"""), Ct);
        Assert.Equal(HttpStatusCode.NotFound, job.StatusCode);
        var session = await globex.PostAsync("/v1/sessions", Http.Json("""{"language":"python","secrets":["API_TOKEN"]}"""), Ct);
        Assert.Equal(HttpStatusCode.NotFound, session.StatusCode);
        Assert.Null(Runner.State.LastRunJob);
        Assert.Null(Runner.State.LastCreateSandbox);
        Assert.Equal(HttpStatusCode.NoContent, (await Acme.DeleteAsync("/v1/secrets/API_TOKEN", Ct)).StatusCode);
    }

    [Fact]
    public async Task Scope_WithoutSecretsWrite_Is403()
    {
        var jobsOnly = Factory.ClientFor("acme", "jobs:run");

        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(jobsOnly, "API_TOKEN", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await jobsOnly.GetAsync("/v1/secrets", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await jobsOnly.DeleteAsync("/v1/secrets/API_TOKEN", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Acme.PostAsync("/v1/admin/secrets/rotate-master-key", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.CreateClient().GetAsync("/v1/secrets", Ct)).StatusCode);
    }

    [Fact]
    public async Task AtRest_StoredRows_HoldNoPlaintext()
    {
        var value = "plain-" + Guid.NewGuid().ToString("N");
        await PutAsync(Acme, "API_TOKEN", value);
        await PutAsync(Factory.ClientFor("globex", "secrets:write"), "API_TOKEN", value);

        var rows = await ReadRowsAsync();

        Assert.Equal(2, rows.Count);
        var forms = new[] { value, Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value)) };
        foreach (var (_, columns) in rows)
        {
            foreach (var column in columns)
            {
                foreach (var form in forms)
                {
                    Assert.True(column.AsSpan().IndexOf(Encoding.UTF8.GetBytes(form)) < 0, "a stored column holds the secret's value");
                }
            }
        }

        // Same value, two tenants: different data keys and ciphertexts.
        Assert.NotEqual(Convert.ToHexString(rows[0].Columns[^1]), Convert.ToHexString(rows[1].Columns[^1]));
    }

    [Fact]
    public async Task Delivery_RequestedSecrets_ReachTheRunnerOnly_AndAreAudited()
    {
        await PutAsync(Acme, "API_TOKEN", "tok-abc");
        await PutAsync(Acme, "CERT", "-----BEGIN-----");
        await PutAsync(Acme, "UNUSED", "never-sent");
        await AllowSecretsAsync("acme", "API_TOKEN", "CERT", "UNUSED");

        var response = await Acme.PostAsync("/v1/jobs", Http.Json(
            """{"language":"python","code":"print(1)","secrets":["API_TOKEN",{"name":"CERT","file":true,"env":false}]}"""), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("tok-abc", text, StringComparison.Ordinal);
        var sent = Runner.State.LastRunJob!.Secrets;
        Assert.Equal(["API_TOKEN", "CERT"], sent.Select(s => s.Name));
        Assert.Equal("tok-abc", sent[0].Value.ToStringUtf8());
        Assert.True(sent[0].Env);
        Assert.False(sent[0].File);
        Assert.Equal("-----BEGIN-----", sent[1].Value.ToStringUtf8());
        Assert.False(sent[1].Env);
        Assert.True(sent[1].File);
        var job = System.Text.Json.JsonSerializer.Deserialize<Job>(text, Cordon.Contracts.Json.CordonJsonContext.Default.Job)!;
        var injected = _audit.Events.Where(e => e.Action == AuditActions.SecretInject && e.ResourceId == job.Id).ToList();
        Assert.Equal(2, injected.Count);
        Assert.Contains(injected, e => e.Detail!.Contains("secret=API_TOKEN", StringComparison.Ordinal));
        Assert.DoesNotContain(_audit.Events, e => (e.Detail ?? "").Contains("tok-abc", StringComparison.Ordinal));

        // A job that asks for none gets none.
        await Acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"print(1)"}"""), Ct);
        Assert.Empty(Runner.State.LastRunJob!.Secrets);

        var session = await Acme.PostAsync("/v1/sessions", Http.Json("""{"language":"python","secrets":[{"name":"API_TOKEN","file":true}]}"""), Ct);
        Assert.Equal(HttpStatusCode.Created, session.StatusCode);
        var created = Runner.State.LastCreateSandbox!.Secrets.Single();
        Assert.Equal(("API_TOKEN", "tok-abc", true, true), (created.Name, created.Value.ToStringUtf8(), created.Env, created.File));
    }

    [Fact]
    public async Task Delivery_BadRequests_AreRefusedInWords()
    {
        await PutAsync(Acme, "API_TOKEN", "tok");
        await AllowSecretsAsync("acme", "API_TOKEN");

        var denied = await Acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"1","secrets":["OTHER"]}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        foreach (var (secrets, field) in new[]
        {
            ("""["API_TOKEN","API_TOKEN"]""", "secrets[1]"),
            ("""[{"name":"api"}]""", "secrets[0]"),
            ("""[{"name":"API_TOKEN","env":false}]""", "secrets[0]"),
            ("""[{"name":"API_TOKEN","mode":"vault"}]""", "secrets[0].mode"),
            ("""[{"name":"API_TOKEN","mode":"proxy","env":false,"hosts":["api.example.com:443"]}]""", "secrets[0].env"),
            ("""[null]""", "secrets[0]"),
        })
        {
            var response = await Acme.PostAsync("/v1/jobs", Http.Json($$"""{"language":"python","code":"1","secrets":{{secrets}}}"""), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors;
            Assert.True(errors.ContainsKey(field), $"{secrets}: {string.Join(", ", errors.Keys)}");
        }

        var unknownMember = await Acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"1","secrets":[{"name":"API_TOKEN","path":"/x"}]}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownMember.StatusCode);
        Assert.Null(Runner.State.LastRunJob);
    }

    [Fact]
    public async Task Rotation_RewrapsEveryDataKey_ValuesUnchanged_OldKeyGone()
    {
        await PutAsync(Acme, "API_TOKEN", "tok-rot");
        await PutAsync(Acme, "DB_PASSWORD", "pw-rot");
        await PutAsync(Factory.ClientFor("globex", "secrets:write"), "API_TOKEN", "globex-rot");
        await AllowSecretsAsync("acme", "API_TOKEN", "DB_PASSWORD");
        var before = (await ReadRowsAsync()).Select(r => r.KeyId).Distinct().Single();
        var oldKey = await File.ReadAllTextAsync(KeyFile, Ct);

        var response = await Factory.ClientFor("ops", "admin").PostAsync("/v1/admin/secrets/rotate-master-key", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotation = await response.ReadAsync<MasterKeyRotation>();
        Assert.Equal(before, rotation.PreviousKeyId);
        Assert.NotEqual(before, rotation.KeyId);
        Assert.Equal(3, rotation.Rewrapped);
        Assert.All(await ReadRowsAsync(), r => Assert.Equal(rotation.KeyId, r.KeyId));
        Assert.NotEqual(oldKey, await File.ReadAllTextAsync(KeyFile, Ct));
        Assert.Equal(["master.key"], Directory.GetFiles(Path.GetDirectoryName(KeyFile)!).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }

        await Acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"1","secrets":["API_TOKEN","DB_PASSWORD"]}"""), Ct);
        Assert.Equal(["tok-rot", "pw-rot"], Runner.State.LastRunJob!.Secrets.Select(s => s.Value.ToStringUtf8()));

        // A second rotation right after works as well (nothing left of the first).
        var again = await (await Factory.ClientFor("ops", "admin").PostAsync("/v1/admin/secrets/rotate-master-key", null, Ct)).ReadAsync<MasterKeyRotation>();
        Assert.Equal(rotation.KeyId, again.PreviousKeyId);
        Assert.Equal(3, again.Rewrapped);
    }

    private protected async Task AllowSecretsAsync(string tenant, params string[] names)
    {
        var document = $$"""{"secrets":[{{string.Join(",", names.Select(n => $"\"{n}\""))}}]}""";
        var response = await Factory.ClientFor("ops", "admin").PutAsync($"/v1/admin/tenants/{tenant}/policy", Http.Json(document), Ct);
        response.EnsureSuccessStatusCode();
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string name, string value) =>
        client.PutAsync($"/v1/secrets/{name}", Http.Json(Json(value)), Ct);

    private static string Json(string value) =>
        $$"""{ "value": "{{System.Text.Json.JsonEncodedText.Encode(value)}}" }""";
}
