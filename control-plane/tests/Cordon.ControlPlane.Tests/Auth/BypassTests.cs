using System.Net;
using Cordon.ControlPlane.Tests.Infrastructure;

namespace Cordon.ControlPlane.Tests.Auth;

public sealed class BypassTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Cordon:Auth:Bypass"] = "true",
        // Bypass is allowed only in the environment named exactly Development, on a loopback listener.
        ["environment"] = "Development",
    };

    [Fact]
    public async Task Bypass_RequestRunsAsTestPrincipal_AndIsMarked()
    {
        var client = Factory.CreateClient();
        var response = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", response.Headers.GetValues("Cordon-Auth-Bypassed").Single());

        var invalid = await client.PostAsync("/v1/jobs", Http.Json("""{"nope":1}"""), Ct);
        Assert.Equal("true", invalid.Headers.GetValues("Cordon-Auth-Bypassed").Single());
        Assert.Contains("\"authBypass\":true", await client.GetStringAsync("/v1/info", Ct), StringComparison.Ordinal);
    }
}
