using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.TestSupport;
using Microsoft.AspNetCore.Mvc;

namespace Cordon.ControlPlane.Tests.Auth;

public sealed class AuthTests : ApiTestBase
{
    [Fact]
    public async Task MissingToken_Returns401ProblemWithChallenge()
    {
        var response = await Factory.CreateClient().GetAsync("/v1/jobs", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal("https://cordon.dev/problems/unauthorized", problem!.Type);
    }

    [Fact]
    public async Task ExpiredToken_Returns401()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(lifetime: TimeSpan.FromMinutes(-10)));
        var response = await client.GetAsync("/v1/jobs", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", (await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WronglySignedToken_Returns401()
    {
        var client = Factory.CreateClient();
        var otherKey = SigningKey.FromBytes(new byte[32], "test");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(key: otherKey));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/jobs", Ct)).StatusCode);
    }

    [Fact]
    public async Task WrongIssuer_Returns401()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(issuer: "someone-else"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/jobs", Ct)).StatusCode);
    }

    [Fact]
    public async Task TenantClaimWithPathCharacters_Returns401()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(tenant: "../x"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/jobs", Ct)).StatusCode);
    }

    [Fact]
    public async Task MissingScope_Returns403ProblemNamingTheScope()
    {
        var client = Factory.ClientFor(scopes: "sessions:use");
        var response = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a"}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("jobs:run", (await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await Factory.ClientFor(scopes: "jobs:run").PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct)).StatusCode);
    }

    [Fact]
    public async Task AdminScope_GrantsEverything()
    {
        var response = await Factory.ClientFor(scopes: "admin").PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PublicEndpoints_NeedNoToken()
    {
        var client = Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Ct)).StatusCode);
        var info = await client.GetStringAsync("/v1/info", Ct);
        Assert.Contains("\"authBypass\":false", info, StringComparison.Ordinal);
    }
}
