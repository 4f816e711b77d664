using System.Net;
using System.Text.Json;
using Cordon.ControlPlane.Tests.Infrastructure;

namespace Cordon.ControlPlane.Tests.Problems;

/// <summary>Bad input answers 400 (or 415) with a problem whose detail names the field in API terms.</summary>
public sealed class BadInputTests : ApiTestBase
{
    [Theory]
    [InlineData("""{"language":"python","code":"out a","env":{"A":null}}""", "env.A", "env.A must be a string.")]
    [InlineData("""{"language":"python","code":"out a","env":{"A":5}}""", "env.A", "env.A must be a string.")]
    [InlineData("""{"language":"python","code":"out a","env":{"A":"1","A":"2"}}""", "env.A", "env.A is given more than once.")]
    [InlineData("""{"language":"python","code":"out a","env":[]}""", "env", "env must be an object whose values are strings.")]
    [InlineData("""{"language":"python","code":"out a","args":["x",null]}""", "args[1]", "args[1] must be a string.")]
    [InlineData("""{"language":"python","code":"out a","artifacts":[{}]}""", "artifacts[0]", "artifacts[0] must be a string.")]
    [InlineData("""{"language":null,"code":"out a"}""", "language", "language must not be null.")]
    [InlineData("""{"language":5,"code":"out a"}""", "language", "language must be a string.")]
    [InlineData("""{"code":"out a"}""", "language", "language is required.")]
    [InlineData("""{"language":"python","code":"out a","nope":1}""", "nope", "nope is not a known field.")]
    [InlineData("""{"language":"python","code":"out a","language":"c"}""", "language", "language is given more than once.")]
    [InlineData("""{"language":"python","code":"out a","wait":"yes"}""", "wait", "wait must be true or false.")]
    [InlineData("""{"language":"python","code":"out a","limits":{"timeoutMs":1e400}}""", "limits.timeoutMs", "limits.timeoutMs must be a whole number from -9223372036854775808 to 9223372036854775807.")]
    [InlineData("""{"language":"python","code":"out a","limits":{"memoryMb":2147483648}}""", "limits.memoryMb", "limits.memoryMb must be a whole number from -2147483648 to 2147483647.")]
    [InlineData("""{"language":"python","files":[{"path":"a.py"}]}""", "files[0].content", "files[0].content is required.")]
    [InlineData("""{"language":"python","code":"\ud800"}""", "code", "code must be valid Unicode text (it holds a lone surrogate).")]
    [InlineData("""{"language":"python","code":"out a","env":{"A":"\udfff"}}""", "env.A", "env.A must be valid Unicode text (it holds a lone surrogate).")]
    public async Task CreateJob_BadBody_Returns400NamingTheField(string body, string field, string detail)
    {
        var problem = await ProblemAsync(await Factory.ClientFor().PostAsync("/v1/jobs", Http.Json(body), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.Equal(detail, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal("https://cordon.dev/problems/validation", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task SessionExec_NullEnvValue_Returns400NamingTheField()
    {
        var client = Factory.ClientFor();
        var session = await (await client.PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct)).ReadAsync<Cordon.Contracts.Sessions.Session>();
        var response = await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"echo hi","env":{"A":null}}"""), Ct);
        Assert.Equal("env.A must be a string.", (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("", "The request needs a JSON body.")]
    [InlineData("{\"language\":", "The body is not valid JSON")]
    [InlineData("[1]", "The body must be a JSON object.")]
    [InlineData("{\"language\":\"python\",\"code\":01}", "The body is not valid JSON at code")]
    public async Task CreateJob_MalformedJson_Returns400WithoutInternals(string body, string detailStart)
    {
        var problem = await ProblemAsync(await Factory.ClientFor().PostAsync("/v1/jobs", Http.Json(body), Ct), HttpStatusCode.BadRequest);
        Assert.StartsWith(detailStart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateJob_NoBody_SaysABodyIsNeeded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs");
        var problem = await ProblemAsync(await Factory.ClientFor().SendAsync(request, Ct), HttpStatusCode.BadRequest);
        Assert.Equal("The request needs a JSON body.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CreateJob_TextPlain_Returns415()
    {
        var response = await Factory.ClientFor().PostAsync("/v1/jobs", new StringContent("""{"language":"python"}"""), Ct);
        var problem = await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("The body must be JSON (Content-Type: application/json); got 'text/plain; charset=utf-8'.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("limit=abc", "limit", "limit must be a whole number from -2147483648 to 2147483647; got 'abc'.")]
    [InlineData("limit=99999999999", "limit", "limit must be a whole number from -2147483648 to 2147483647; got '99999999999'.")]
    public async Task ListJobs_BadQuery_Returns400NamingTheParameter(string query, string field, string detail)
    {
        var problem = await ProblemAsync(await Factory.ClientFor().GetAsync("/v1/jobs?" + query, Ct), HttpStatusCode.BadRequest);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task WrongMethod_Returns405ProblemWithDetail()
    {
        var problem = await ProblemAsync(await Factory.ClientFor().DeleteAsync("/v1/jobs", Ct), HttpStatusCode.MethodNotAllowed);
        Assert.Equal("DELETE is not allowed on /v1/jobs.", problem.GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Cordon.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("parameter", text, StringComparison.Ordinal);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
