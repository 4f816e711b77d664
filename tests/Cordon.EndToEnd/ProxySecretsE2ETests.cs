using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Audit;
using Cordon.Contracts.Jobs;
using Cordon.TestSupport.Egress;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>
/// A proxy secret through both planes: stored, allowed by the tenant's policy with its host, asked for over REST; the
/// job's program sends its placeholder in an Authorization header and the test's HTTPS server receives the value
/// (it answers header digests, so the job never reads the value back); another allowed host receives the placeholder,
/// and the attempt is audited. A host outside the policy is refused before anything runs.
/// </summary>
public sealed class ProxySecretsE2ETests(StackFixture stack)
{
    private readonly string _tenant = "pxs" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _value = "tok-" + Guid.NewGuid().ToString("N");

    private HttpClient Client => stack.ClientFor(_tenant, "jobs:run sessions:use secrets:write audit:read");

    private HttpClient Admin => stack.ClientFor("ops", "admin");

    [Fact]
    public async Task Job_ProxySecret_ValueReachesItsHostOnly_JobSeesThePlaceholder_UseAndLeakAudited()
    {
        await StoreAsync($"{EgressNames.Public}:443", $"{EgressNames.Other}:80");
        var code = """
            import hashlib, json, os, subprocess
            token = os.environ["API_TOKEN"]
            print("placeholder", token.startswith("cordon-ph-") and len(token) == 42)
            def seen(url):
                out = subprocess.run(["curl", "-sS", "--max-time", "20", "-H", "Authorization: Bearer " + token, url], capture_output=True, text=True).stdout
                return dict(json.loads(out)["headers"]).get("Authorization")
            print("listed", seen("https://public.test/digest/e2e"))
            print("other", seen("http://other.test/digest/e2e") == hashlib.sha256(("Bearer " + token).encode()).hexdigest())
            print("env", token)
            """;
        var body = $$"""{"language":"python","code":{{JsonSerializer.Serialize(code)}},"network":{"egress":["{{EgressNames.Other}}:80"]},"secrets":[{"name":"API_TOKEN","mode":"proxy","hosts":["{{EgressNames.Public}}:443"]}]}""";

        var job = await Client.RunAsync(stack, body);

        job.Expect(JobStatus.Succeeded, stack);
        var lines = job.Stdout!.Split('\n');
        Assert.Equal("placeholder True", lines[0]);
        Assert.Equal("listed " + Digest("Bearer " + _value), lines[1]);
        Assert.Equal("other True", lines[2]);
        Assert.StartsWith("env cordon-ph-", lines[3], StringComparison.Ordinal);
        Assert.DoesNotContain(_value, job.Stdout + job.Stderr, StringComparison.Ordinal);
        Assert.Equal((2L, 0L), (job.Network!.Connections, job.Network.Denied));

        var audit = await AuditAsync(job.Id);
        Assert.Equal("mode=proxy", Assert.Single(audit, r => r.Action == "secret.inject").Details["detail"].Split(' ')[1]);
        Assert.Equal($"secret=API_TOKEN host={EgressNames.Public}:443", Assert.Single(audit, r => r.Action == "secret.use").Details["detail"]);
        Assert.StartsWith($"secret=API_TOKEN host={EgressNames.Other}:80", Assert.Single(audit, r => r.Action == "secret.placeholder_leak").Details["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain(audit, r => r.Details.Values.Any(v => v.Contains(_value, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Job_ProxySecretHostOutsideThePolicy_403NothingRuns()
    {
        await StoreAsync($"{EgressNames.Public}:443");
        var body = $$"""{"language":"python","code":"print('ran')","secrets":[{"name":"API_TOKEN","mode":"proxy","hosts":["{{EgressNames.Other}}:443"]}]}""";

        var refused = await Client.PostAsync("/v1/jobs", Json(body), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("egress.denied", problem, StringComparison.Ordinal);
        Assert.Contains($"{EgressNames.Other}:443", problem, StringComparison.Ordinal);
    }

    private async Task StoreAsync(params string[] egress)
    {
        var policy = $$"""{"secrets":["API_TOKEN"],"egress":{{JsonSerializer.Serialize(egress)}}}""";
        (await Admin.PutAsync($"/v1/admin/tenants/{_tenant}/policy", Json(policy), Ct)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("/v1/secrets/API_TOKEN", Json($$"""{"value":"{{_value}}"}"""), Ct)).StatusCode);
    }

    /// <summary>The tenant's audit records about <paramref name="jobId"/>; the egress ones are written as the job ends.</summary>
    private async Task<List<AuditRecord>> AuditAsync(string jobId)
    {
        var page = await (await Client.GetAsync("/v1/audit?limit=1000", Ct)).ReadAsync<AuditPage>(stack);
        return [.. page.Items.Where(r => r.Target == jobId)];
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
