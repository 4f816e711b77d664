using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>
/// Dependencies through both planes: the tenant's policy allowlists packages, a job asks for some in
/// <c>dependencies</c>, the runner installs them from the stack's test registry before the program runs, and the job
/// carries the installer's output in <c>setupOutput</c> and its time in <c>setupDurationMs</c>. A package off the list is
/// refused by the policy (403) when the request names it, and ends the job <c>rejected</c> when only the installation
/// finds it.
/// </summary>
public sealed class DependenciesE2ETests(StackFixture stack)
{
    private readonly string _tenant = "dep" + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Client => stack.ClientFor(_tenant, "jobs:run sessions:use");

    private HttpClient Admin => stack.ClientFor("ops", "admin");

    [Fact]
    public async Task Job_AllowedPackages_InstalledThenCachedForTheNextJob()
    {
        await AllowAsync("""[{"name":"cordon-greet","version":"<2"},{"name":"cordon-util"}]""");
        var body = """{"language":"python","code":"import cordon_greet\nprint(cordon_greet.hello())","dependencies":["cordon-greet>=1"]}""";

        var first = await Client.RunAsync(stack, body);
        var second = await Client.RunAsync(stack, body);

        first.Expect(JobStatus.Succeeded, stack);
        Assert.Equal("hello from cordon-greet 1.0.0\n", first.Stdout);
        Assert.Contains("installed: cordon-greet 1.0.0, cordon-util 1.0.0", first.SetupOutput, StringComparison.Ordinal);
        Assert.True(first.SetupDurationMs > 0);
        second.Expect(JobStatus.Succeeded, stack);
        Assert.Contains("from the cache", second.SetupOutput, StringComparison.Ordinal);
        var summary = await (await Client.GetAsync("/v1/jobs?limit=5", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("setupOutput", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_PackageOffTheAllowlist_403BeforeAnythingRuns()
    {
        await AllowAsync("""[{"name":"cordon-greet"}]""");

        var refused = await Client.PostAsync("/v1/jobs", Json("""{"language":"python","code":"print(1)","dependencies":["cordon-evil==1.0.0"]}"""), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("cordon-evil==1.0.0 (not on the allowlist)", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_TransitivePackageOffTheAllowlist_RejectedNamingIt()
    {
        await AllowAsync("""[{"name":"cordon-needs-evil"}]""");

        var job = await Client.RunAsync(stack, """{"language":"javascript","code":"console.log('ran')","dependencies":["cordon-needs-evil@1.0.0"]}""");

        job.Expect(JobStatus.Rejected, stack);
        Assert.Contains("'cordon-evil'", job.Error, StringComparison.Ordinal);
        Assert.Equal("", job.Stdout);
        Assert.False(stack.Packages.WasAskedFor("cordon-evil-1.0.0.tgz"));
    }

    private async Task AllowAsync(string dependencies)
    {
        var runtimes = $$$"""{"python":{"dependencies":{{{dependencies}}}},"javascript":{"dependencies":{{{dependencies}}}}}""";
        var response = await Admin.PutAsync($"/v1/admin/tenants/{_tenant}/policy", Json($$"""{"runtimes":{{runtimes}}}"""), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct) + JsonSerializer.Serialize(runtimes));
    }
}
