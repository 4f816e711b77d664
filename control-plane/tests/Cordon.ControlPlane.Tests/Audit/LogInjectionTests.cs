using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Mcp;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Audit;

/// <summary>
/// The real <c>cordon-control</c> process, with its default logging, fed outside text with newlines in it: a token
/// whose <c>sub</c> forges a log line, a request path with <c>%0a</c>. Every record stays one line (the newline
/// escaped), in the default format and in JSON.
/// </summary>
public sealed class LogInjectionTests
{
    private const string ForgedSubject = "user-1\n[fake] admin logged in";

    // A request path reaches the audit in its escaped URI form (PathString), so its decoded newline never does.
    private const string ForgedPathAsLogged = "/v1/jobs/%0A%5Bfake%5D%20forged%0D%1B%5B2J";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("cordon")]
    [InlineData("json")]
    public async Task Audit_SubjectAndPathWithNewlines_OneRecordPerLineNewlinesEscaped(string format)
    {
        await using var runner = await FakeRunnerHost.StartAsync(Ct);
        var dataDir = Directory.CreateTempSubdirectory("cordon-loginject-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "cordon-control.dll"), [], Ct, new Dictionary<string, string?>
            {
                ["CORDON_DATA_DIR"] = dataDir,
                ["CORDON_LOG_FORMAT"] = format,
                ["Cordon__Auth__Issuer"] = TestTokens.Issuer,
                ["Cordon__Auth__SigningKeys__0__Kid"] = "test",
                ["Cordon__Auth__SigningKeys__0__Key"] = TestTokens.Key,
                ["Cordon__Runners__0__Id"] = "fake",
                ["Cordon__Runners__0__Url"] = runner.Url,
                ["Cordon__Runners__0__Token"] = runner.State.Token,
            });
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            await WaitReadyAsync(client, server);

            using var job = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = Http.Json("""{"language":"python","code":"out hi"}""") };
            job.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerToken.Mint(TestTokens.SigningKey, TestTokens.Issuer, ForgedSubject, "acme"));
            using var created = await client.SendAsync(job, Ct);
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            using var denied = await client.GetAsync("/v1/jobs/%0a[fake]%20forged%0d%1b[2J", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(server.Output.Contains("job.end", StringComparison.Ordinal) && server.Output.Contains("auth.failure", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }

            var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(lines, l => l.StartsWith("[fake]", StringComparison.Ordinal));
            Assert.DoesNotContain('\u001b', server.Output);
            if (format == "json")
            {
                // One JSON object per line, the audit members as properties of the record's state.
                var records = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
                var audits = records.Where(r => r.GetProperty("Category").GetString() == "Cordon.Audit").Select(r => r.GetProperty("State")).ToList();
                var start = Assert.Single(audits, a => a.GetProperty("Action").GetString() == "job.start");
                Assert.Equal("user-1\\n[fake] admin logged in", start.GetProperty("Subject").GetString());
                var failure = Assert.Single(audits, a => a.GetProperty("Action").GetString() == "auth.failure");
                Assert.Equal(ForgedPathAsLogged, failure.GetProperty("Resource").GetString());
            }
            else
            {
                var start = Assert.Single(lines, l => l.Contains("audit action=\"job.start\"", StringComparison.Ordinal));
                Assert.Matches(@"^\d\d:\d\d:\d\d info: Cordon\.Audit\[1501\] ", start);
                Assert.Contains("subject=\"user-1\\n[fake] admin logged in\"", start, StringComparison.Ordinal);
                var failure = Assert.Single(lines, l => l.Contains("audit action=\"auth.failure\"", StringComparison.Ordinal));
                Assert.Contains($"resource=\"{ForgedPathAsLogged}\"", failure, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task WaitReadyAsync(HttpClient client, ServerProcess server)
    {
        for (var i = 0; i < 200; i++)
        {
            using var ready = await client.GetAsync("/readyz", Ct);
            if (ready.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail("the control plane never became ready:\n" + server.Output);
    }
}
