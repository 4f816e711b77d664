using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Storage;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.TestSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Cordon.ControlPlane.Tests.Infrastructure.JobPolling;

namespace Cordon.ControlPlane.Tests.Jobs;

public sealed class JobEndpointsTests : ApiTestBase
{
    [Fact]
    public async Task Create_WaitTrue_ReturnsFinishedJobWithOutput()
    {
        var client = Factory.ClientFor();
        var response = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"py","code":"out hello\nerr oops\nstdin","stdin":"in\n"}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = await response.ReadAsync<Job>();
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("python", job.Language);
        Assert.Equal("hello\nin\n", job.Stdout);
        Assert.Equal("oops\n", job.Stderr);
        Assert.Equal(0, job.ExitCode);
        Assert.NotNull(job.FinishedAt);
        Assert.Equal("main.py", Runner.State.LastRunJob!.Files.Single().Path);
        Assert.Equal("in\n", Runner.State.LastRunJob.Stdin.ToStringUtf8());
    }

    [Theory]
    [InlineData("exit 3", JobStatus.Failed)]
    [InlineData("status compile_error", JobStatus.CompileError)]
    [InlineData("status timeout", JobStatus.Timeout)]
    [InlineData("status memory_limit", JobStatus.MemoryLimit)]
    [InlineData("status output_limit", JobStatus.OutputLimit)]
    [InlineData("status error", JobStatus.Error)]
    public async Task Create_RunnerStatus_MapsToJobStatus(string script, JobStatus expected)
    {
        var response = await Factory.ClientFor().PostAsJsonAsync("/v1/jobs", new CreateJobRequest { Language = "python", Code = script }, Ct);
        var job = await response.ReadAsync<Job>();
        Assert.Equal(expected, job.Status);
    }

    [Fact]
    public async Task Create_WaitFalse_Returns202WithLocationAndFinishesInBackground()
    {
        var client = Factory.ClientFor();
        var response = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"sleep 200\nout late","wait":false}"""), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.ReadAsync<Job>();
        Assert.Equal($"/v1/jobs/{job.Id}", response.Headers.Location!.ToString());
        Assert.Contains(job.Status, new[] { JobStatus.Queued, JobStatus.Running });

        var finished = await PollAsync(client, job.Id);
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.Equal("late\n", finished.Stdout);
    }

    [Fact]
    public async Task Create_RunnerConnectionBreaksMidJob_ErrorInWords_KeepsStreamedOutput()
    {
        var client = Factory.ClientFor();
        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out start\nerr warn\nsleep 100\ndie"}"""), Ct)).ReadAsync<Job>();

        Assert.Equal(JobStatus.Error, job.Status);
        Assert.Equal("runner 'fake' was lost during the job", job.Error);
        Assert.Equal("start\n", job.Stdout);
        Assert.Equal("warn\n", job.Stderr);
        var events = await SseReader.ReadJobEventsAsync(client, job.Id, null, Ct);
        Assert.Equal("""{"data":"start\n"}""", events.Single(e => e.Event == "stdout").Data);
        Assert.Contains("start", events.Single(e => e.Event == "result").Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_OneChunkPerByte_StoresCoalescedRows()
    {
        const int Bytes = 5000;
        var client = Factory.ClientFor();
        var job = await (await client.PostAsync("/v1/jobs", Http.Json($$"""{"language":"python","code":"bytes {{Bytes}}\nout end"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal(new string('x', Bytes) + "end\n", job.Stdout);

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        var rows = await db.JobEvents.IgnoreQueryFilters().Where(e => e.JobId == job.Id && e.Kind == "stdout").ToListAsync(Ct);
        Assert.Equal(job.Stdout, string.Concat(rows.Select(r => JsonDocument.Parse(r.Data).RootElement.GetProperty("data").GetString())));
        // One row per chunk would be 5,001; a 50 ms window lets through a handful at most.
        Assert.InRange(rows.Count, 1, 50);
    }

    [Fact]
    public async Task List_ItemsAreSummaries_WithoutOutput()
    {
        var client = Factory.ClientFor();
        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out hello\nerr oops"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal("hello\n", job.Stdout);

        using var page = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/jobs", UriKind.Relative), Ct));
        var item = Assert.Single(page.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(job.Id, item.GetProperty("id").GetString());
        Assert.Equal("succeeded", item.GetProperty("status").GetString());
        foreach (var output in new[] { "stdout", "stderr", "compileOutput", "setupOutput" })
        {
            Assert.False(item.TryGetProperty(output, out _), $"a list item carries '{output}'");
        }
    }

    [Fact]
    public async Task Cancel_RunningJob_EndsCancelled_AndFinishedJobIsUnchanged()
    {
        var client = Factory.ClientFor();
        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out started\nhang","wait":false}"""), Ct)).ReadAsync<Job>();
        await WaitForStatusAsync(client, job.Id, JobStatus.Running);

        var cancelled = await (await client.PostAsync($"/v1/jobs/{job.Id}/cancel", null, Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);

        var again = await (await client.PostAsync($"/v1/jobs/{job.Id}/cancel", null, Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Cancelled, again.Status);
        Assert.Equal(cancelled.FinishedAt, again.FinishedAt);
    }

    [Fact]
    public async Task Events_StreamThenResumeWithLastEventId_AfterCompletion()
    {
        var client = Factory.ClientFor();
        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out one\nout two"}"""), Ct)).ReadAsync<Job>();

        var all = await SseReader.ReadJobEventsAsync(client, job.Id, null, Ct);
        Assert.Equal("status", all[0].Event);
        Assert.Contains(all, e => e.Event == "stdout" && e.Data.Contains("one", StringComparison.Ordinal));
        Assert.Equal("result", all[^1].Event);
        Assert.All(all, e => Assert.False(string.IsNullOrEmpty(e.Id)));

        var firstStdout = all.First(e => e.Event == "stdout");
        var resumed = await SseReader.ReadJobEventsAsync(client, job.Id, firstStdout.Id, Ct);
        Assert.Equal(all.SkipWhile(e => e != firstStdout).Skip(1).Select(e => e.Id), resumed.Select(e => e.Id));
    }

    [Fact]
    public async Task Idempotency_SameBodyReturnsSameJob_DifferentBodyConflicts()
    {
        var client = Factory.ClientFor();
        var first = await SendWithKeyAsync(client, "k1", """{"language":"python","code":"out a"}""");
        var second = await SendWithKeyAsync(client, "k1", """{"language":"python","code":"out a"}""");
        var third = await SendWithKeyAsync(client, "k1", """{"language":"python","code":"out b"}""");

        Assert.Equal((await first.ReadAsync<Job>()).Id, (await second.ReadAsync<Job>()).Id);
        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("""{"language":"python","code":"x","bogus":1}""")]
    [InlineData("""{"language":"python",""")]
    [InlineData("""{"code":"x"}""")]
    [InlineData("""{"language":"cobol","code":"x"}""")]
    [InlineData("""{"language":"python"}""")]
    [InlineData("""{"language":"python","files":[{"path":"../etc/passwd","content":"x"}]}""")]
    [InlineData("""{"language":"python","files":[{"path":"/abs","content":"x"}]}""")]
    [InlineData("""{"language":"python","files":[{"path":"a.py","content":"x","encoding":"rot13"}]}""")]
    [InlineData("""{"language":"python","code":"x","limits":{"timeoutMs":999999999}}""")]
    [InlineData("""{"language":"python","code":"x","network":{"egress":["example.com"]}}""")]
    [InlineData("""{"language":"python","code":"x","dependencies":["requests[socks]"]}""")]
    [InlineData("""{"language":"python","code":"x","secrets":["lower_case"]}""")]
    public async Task Create_InvalidRequest_Returns400Problem(string body)
    {
        var response = await Factory.ClientFor().PostAsync("/v1/jobs", Http.Json(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal("https://cordon.dev/problems/validation", problem!.Type);
        Assert.False(string.IsNullOrEmpty(problem.Detail));
    }

    [Fact]
    public async Task Create_BodyTooLarge_Returns413()
    {
        var code = new string('x', 11 * 1024 * 1024);
        var response = await Factory.ClientFor().PostAsJsonAsync("/v1/jobs", new CreateJobRequest { Language = "python", Code = code }, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Get_OtherTenantsJob_Returns404()
    {
        var job = await (await Factory.ClientFor("acme").PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a"}"""), Ct)).ReadAsync<Job>();
        var other = Factory.ClientFor("globex");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/jobs/{job.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/jobs/{job.Id}/events", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v1/jobs/{job.Id}/cancel", null, Ct)).StatusCode);
        Assert.Empty((await (await other.GetAsync("/v1/jobs", Ct)).ReadAsync<JobPage>()).Items);
    }

    [Fact]
    public async Task List_PagesWithCursor_AndFiltersByStatus()
    {
        var client = Factory.ClientFor();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsync("/v1/jobs", Http.Json(i == 0 ? """{"language":"python","code":"exit 1"}""" : """{"language":"python","code":"out a"}"""), Ct);
        }

        var page1 = await (await client.GetAsync("/v1/jobs?limit=2", Ct)).ReadAsync<JobPage>();
        var page2 = await (await client.GetAsync($"/v1/jobs?limit=2&cursor={page1.Next}", Ct)).ReadAsync<JobPage>();
        var page3 = await (await client.GetAsync($"/v1/jobs?limit=2&cursor={page2.Next}", Ct)).ReadAsync<JobPage>();
        var ids = page1.Items.Concat(page2.Items).Concat(page3.Items).Select(j => j.Id).ToList();
        Assert.Equal(5, ids.Distinct().Count());
        Assert.Null(page3.Next);
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);

        var failed = await (await client.GetAsync("/v1/jobs?status=failed", Ct)).ReadAsync<JobPage>();
        Assert.Single(failed.Items);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v1/jobs?cursor=garbage", Ct)).StatusCode);
    }

    [Fact]
    public async Task Artifacts_AreStoredAndServed()
    {
        var client = Factory.ClientFor();
        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"artifact out/a.txt hello","artifacts":["out/*"]}"""), Ct)).ReadAsync<Job>();

        var artifact = Assert.Single(job.Artifacts);
        Assert.Equal("out/a.txt", artifact.Path);
        Assert.Equal(5, artifact.Size);
        Assert.Equal("hello", await client.GetStringAsync($"/v1/jobs/{job.Id}/artifacts/out/a.txt", Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/jobs/{job.Id}/artifacts/../../x", Ct)).StatusCode);
        Assert.True(File.Exists(Path.Combine(Factory.DataDir, "artifacts", "acme", job.Id, "out", "a.txt")));
    }

    private static Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = Http.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, Ct);
    }
}
