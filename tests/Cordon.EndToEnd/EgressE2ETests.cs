using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.TestSupport.Egress;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>
/// Egress through both planes: the tenant's policy allows a destination, a job asks for it in <c>network.egress</c>,
/// and its sandbox reaches exactly that through the runner's proxy — the job's <c>network</c> counts what it did.
/// Without the policy's leave the request is refused before anything runs; without <c>network.egress</c> there is
/// no network at all.
/// </summary>
public sealed class EgressE2ETests(StackFixture stack)
{
    private readonly string _tenant = "egr" + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Client => stack.ClientFor(_tenant, "jobs:run sessions:use");

    private HttpClient Admin => stack.ClientFor("ops", "admin");

    [Fact]
    public async Task Job_AllowedDestination_ReachedOthersRefused_NetworkCounted()
    {
        await AllowAsync($"*.{EgressNames.Public}:443", $"{EgressNames.Public}:443");
        var code = """
            import json, ssl, urllib.request, urllib.error
            tls = ssl.create_default_context(cafile="ca.pem")
            print("allowed", json.load(urllib.request.urlopen("https://api.public.test/e2e", timeout=20, context=tls))["target"])
            for url in ["https://public.test/", "http://other.test/"]:
                try:
                    urllib.request.urlopen(url, timeout=20, context=tls)
                    print("refused", url, "ESCAPED")
                except (urllib.error.URLError, OSError) as e:
                    print("refused", url, "403" in str(e))
            """;

        var job = await Client.RunAsync(stack, Body(code, $"{EgressNames.PublicSub}:443"));

        job.Expect(JobStatus.Succeeded, stack);
        Assert.Equal("allowed /e2e\nrefused https://public.test/ True\nrefused http://other.test/ True\n", job.Stdout);
        Assert.NotNull(job.Network);
        Assert.Equal((3L, 2L), (job.Network.Connections, job.Network.Denied));
        Assert.True(job.Network.BytesIn > 500 && job.Network.BytesOut > 100, $"{job.Network}");
        var listed = await (await Client.GetAsync($"/v1/jobs?limit=5", Ct)).ReadAsync<JobPage>(stack);
        Assert.Equal(job.Network, Assert.Single(listed.Items, j => j.Id == job.Id).Network);
    }

    [Fact]
    public async Task Job_DestinationThePolicyDoesNotAllow_403AndNothingRuns()
    {
        await AllowAsync($"{EgressNames.Public}:443");

        var refused = await Client.PostAsync("/v1/jobs", Json(Body("print('ran')", $"{EgressNames.Other}:443")), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("egress.denied", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_WithoutEgress_HasNoNetworkAndNoProxy()
    {
        await AllowAsync($"{EgressNames.Public}:443");

        var job = await Client.RunAsync(stack, """{"language":"python","code":"import os\nprint(os.environ.get('https_proxy'))"}""");

        job.Expect(JobStatus.Succeeded, stack);
        Assert.Equal("None\n", job.Stdout);
        Assert.Null(job.Network);
    }

    [Fact]
    public async Task Session_WithEgress_EachExecutionCountsItsOwn()
    {
        await AllowAsync($"{EgressNames.Public}:80");
        var created = await Client.PostAsync("/v1/sessions", Json($$$"""{"language":"bash","network":{"egress":["{{{EgressNames.Public}}}:80"]}}"""), Ct);
        var session = await created.ReadAsync<Session>(stack);

        var first = await ExecAsync(session.Id, "curl -s -o /dev/null -w '%{http_code}' http://public.test/a");
        var second = await ExecAsync(session.Id, "curl -s -o /dev/null -w '%{http_code}' http://public.test/b; curl -s -o /dev/null -w ' %{http_code}' http://other.test/");

        Assert.Equal(("200", 1L, 0L), (first.Stdout, first.Network!.Connections, first.Network.Denied));
        Assert.Equal(("200 403", 2L, 1L), (second.Stdout, second.Network!.Connections, second.Network.Denied));
        await Client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
    }

    private async Task<Job> ExecAsync(string sessionId, string command) =>
        await (await Client.PostAsync($"/v1/sessions/{sessionId}/exec", Json($$"""{"command":{{JsonSerializer.Serialize(command)}}}"""), Ct)).ReadAsync<Job>(stack);

    private async Task AllowAsync(params string[] egress) =>
        (await Admin.PutAsync($"/v1/admin/tenants/{_tenant}/policy", Json($$"""{"egress":{{JsonSerializer.Serialize(egress)}}}"""), Ct)).EnsureSuccessStatusCode();

    /// <summary>A python job that first writes the test network's CA to <c>ca.pem</c> (a job has code or files, not both).</summary>
    private string Body(string code, string destination)
    {
        var program = $"open('ca.pem', 'w').write({JsonSerializer.Serialize(stack.Network.CaCertificatePem)})\n{code}";
        return $$$"""{"language":"python","code":{{{JsonSerializer.Serialize(program)}}},"network":{"egress":["{{{destination}}}"]}}""";
    }
}
