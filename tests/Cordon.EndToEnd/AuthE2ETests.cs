using System.Net;
using Cordon.Contracts.Jobs;
using Cordon.TestSupport;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>Authentication, scopes and tenancy against the real process.</summary>
public sealed class AuthE2ETests(StackFixture stack)
{
    [Fact]
    public async Task MissingToken_Is401WithChallenge()
    {
        var response = await stack.Client(null).GetAsync("/v1/jobs", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ExpiredToken_Is401()
    {
        var token = stack.Token("e2e", "jobs:run", lifetime: TimeSpan.FromMinutes(-5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Client(token).GetAsync("/v1/jobs", Ct)).StatusCode);
    }

    [Fact]
    public async Task WronglySignedToken_Is401()
    {
        var token = stack.Token("e2e", "jobs:run", key: SigningKey.FromBytes(new byte[32], "forged"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Client(token).GetAsync("/v1/jobs", Ct)).StatusCode);
    }

    [Fact]
    public async Task MissingScope_Is403()
    {
        var client = stack.ClientFor(scopes: "sessions:use");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/v1/jobs", Json("""{"language":"python","code":"print(1)"}"""), Ct)).StatusCode);
        var noSessions = stack.ClientFor(scopes: "jobs:run");
        Assert.Equal(HttpStatusCode.Forbidden, (await noSessions.PostAsync("/v1/sessions", Json("""{"language":"python"}"""), Ct)).StatusCode);
    }

    [Fact]
    public async Task OtherTenantsJob_Is404Everywhere()
    {
        var job = await stack.ClientFor(tenant: "owner").RunAsync(stack, """{"language":"bash","code":"echo mine"}""");
        var other = stack.ClientFor(tenant: "intruder");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/jobs/{job.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/jobs/{job.Id}/events", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v1/jobs/{job.Id}/cancel", null, Ct)).StatusCode);
        Assert.DoesNotContain((await (await other.GetAsync("/v1/jobs", Ct)).ReadAsync<JobPage>(stack)).Items, j => j.Id == job.Id);
    }

    [Fact]
    public async Task BypassInProduction_RefusesToStart()
    {
        await using var control = stack.StartControl("Production",
            ["--urls", $"http://127.0.0.1:{FreePort.Next()}"],
            new Dictionary<string, string> { ["Cordon__Auth__Bypass"] = "true", ["Cordon__Auth__Issuer"] = "x", ["Cordon__Auth__SigningKeys__0__Key"] = SigningKey.FromBytes(new byte[32], "k").Key });
        var exit = await control.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.NotEqual(0, exit);
        Assert.Contains("Bypass", control.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BypassInDevelopment_MarksEveryRequest()
    {
        var port = FreePort.Next();
        await using var control = stack.StartControl("Development",
            ["--urls", $"http://127.0.0.1:{port}", $"--Cordon:Runners:0:Url={stack.RunnerUrl}", $"--Cordon:Runners:0:Token={StackFixture.ServiceToken}", "--Cordon:Storage:ConnectionString=Data Source=" + Path.Combine(stack.DataDir, "bypass.db"),
                "--Cordon:Audit:Directory=" + Path.Combine(stack.DataDir, "bypass-audit")],
            new Dictionary<string, string> { ["Cordon__Auth__Bypass"] = "true" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        HttpResponseMessage? info = null;
        for (var i = 0; i < 600 && info is null && !control.HasExited; i++)
        {
            try
            {
                info = await http.GetAsync("/v1/info", Ct);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.True(info is not null, "cordon-control with bypass did not answer:\n" + control.Tail());
        Assert.Equal("true", info!.Headers.GetValues("Cordon-Auth-Bypassed").Single());
        Assert.Contains("\"authBypass\":true", await info.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/jobs", Ct)).StatusCode);
    }
}
