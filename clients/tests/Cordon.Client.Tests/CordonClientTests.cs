using System.Net;
using System.Text;
using Cordon.Client.Jobs;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Problems;
using Cordon.Contracts.Sessions;

namespace Cordon.Client.Tests;

public sealed class CordonClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateJobAsync_ValidationProblem_ThrowsWithProblemDetails()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        using var client = new CordonClient(server.Url, "tok");

        var ex = await Assert.ThrowsAsync<CordonApiException>(() => client.CreateJobAsync(new CreateJobRequest { Language = "cobol", Code = "x" }, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(ProblemTypes.Validation, ex.Problem.Type);
        Assert.Equal("The request is invalid.", ex.Problem.Title);
        Assert.Equal("Unknown language 'cobol'.", ex.Problem.Detail);
        Assert.Equal(["Use a language from GET /v1/runtimes."], ex.Problem.Errors["language"]);
        Assert.Contains("Unknown language 'cobol'.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Bearer tok", server.LastAuthorization);
    }

    [Fact]
    public async Task GetJobAsync_NotFound_ThrowsNotFoundProblem()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        using var client = new CordonClient(server.Url, "tok");

        var ex = await Assert.ThrowsAsync<CordonApiException>(() => client.GetJobAsync("other", Ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal(ProblemTypes.NotFound, ex.ProblemType);
    }

    [Fact]
    public async Task Call_NonJsonErrorBody_ThrowsWithStatusAndText()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        using var raw = new HttpClient();

        using var response = await raw.GetAsync(new Uri(server.Url, "/v1/broken"), Ct);
        var problem = Problems.ProblemReader.Parse((int)response.StatusCode, response.ReasonPhrase, response.Content.Headers.ContentType,
            await response.Content.ReadAsByteArrayAsync(Ct));

        Assert.Equal(502, problem.Status);
        Assert.Equal("Bad Gateway", problem.Title);
        Assert.Equal("<html>bad gateway</html>", problem.Detail);
        Assert.Empty(problem.Errors);
    }

    [Fact]
    public async Task RunJobAsync_SendsWaitTrue_AndReturnsTheFinishedJob()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        using var client = new CordonClient(server.Url, "tok");

        var job = await client.RunJobAsync(new CreateJobRequest { Language = "python", Code = "print(1)" }, "key-1", Ct);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.True(server.LastJobRequest!.Wait);
    }

    [Fact]
    public async Task StreamJobEventsAsync_ConnectionDrops_ResumesWithLastEventIdWithoutLossOrRepeat()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.Events.AddRange([
            ("status", FakeCordonServer.Status(JobStatus.Running)),
            ("stdout", FakeCordonServer.Output("one\n")),
            ("stdout", FakeCordonServer.Output("two\n")),
            ("stderr", FakeCordonServer.Output("three\n")),
        ]);
        server.DropFirstConnectionAfter = 2;
        using var client = new CordonClient(server.Url, "tok");

        var events = new List<JobStreamEvent>();
        await foreach (var item in client.StreamJobEventsAsync(FakeCordonServer.JobId, cancellationToken: Ct))
        {
            events.Add(item);
        }

        Assert.Equal(["1", "2", "3", "4", "5"], events.Select(e => e.EventId));
        Assert.Equal("one\ntwo\nthree\n", string.Concat(events.OfType<JobOutputChunk>().Select(c => c.Text)));
        Assert.IsType<JobResultEvent>(events[^1]);
        Assert.Equal(["", "2"], server.EventStreamLastEventIds);
    }

    [Fact]
    public async Task StreamJobEventsAsync_WithLastEventId_StartsAfterIt()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.Events.AddRange([("stdout", FakeCordonServer.Output("a")), ("stdout", FakeCordonServer.Output("b"))]);
        using var client = new CordonClient(server.Url, "tok");

        var events = new List<JobStreamEvent>();
        await foreach (var item in client.StreamJobEventsAsync(FakeCordonServer.JobId, lastEventId: "1", cancellationToken: Ct))
        {
            events.Add(item);
        }

        Assert.Equal(["2", "3"], events.Select(e => e.EventId));
        Assert.Equal(["1"], server.EventStreamLastEventIds);
    }

    [Fact]
    public async Task StreamJobEventsAsync_StreamKeepsEndingWithoutResult_FallsBackToTheFinishedJob()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.Events.Add(("stdout", FakeCordonServer.Output("a")));
        server.NeverSendResult = true;
        using var client = new CordonClient(server.Url, "tok");

        var events = new List<JobStreamEvent>();
        await foreach (var item in client.StreamJobEventsAsync(FakeCordonServer.JobId, cancellationToken: Ct))
        {
            events.Add(item);
        }

        Assert.Single(events.OfType<JobOutputChunk>());
        Assert.Equal(JobStatus.Succeeded, Assert.IsType<JobResultEvent>(events[^1]).Job.Status);
    }

    [Fact]
    public async Task StreamJobEventsAsync_ServerUnreachable_ThrowsHttpRequestException()
    {
        using var client = new CordonClient(new Uri("http://127.0.0.1:9"), "tok");

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var unused in client.StreamJobEventsAsync("job", cancellationToken: Ct))
            {
            }
        });
    }

    [Fact]
    public async Task SessionFiles_PutGetListDelete_RoundTripOverHttp()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        using var client = new CordonClient(new Uri(server.Url.AbsoluteUri.TrimEnd('/')), "tok");
        var session = await client.CreateSessionAsync(new CreateSessionRequest { Language = "python" }, Ct);

        await client.PutFileAsync(session.Id, "dir/a b.txt", new MemoryStream(Encoding.UTF8.GetBytes("content")), Ct);
        var bytes = await client.GetFileAsync(session.Id, "dir/a b.txt", Ct);
        var files = await client.ListFilesAsync(session.Id, "dir", Ct);
        await client.DeleteSessionAsync(session.Id, Ct);

        Assert.Equal("content", Encoding.UTF8.GetString(bytes));
        Assert.Equal("dir/a b.txt", Assert.Single(files).Path);
        Assert.Contains("PUT /v1/sessions/ses-1/files/dir/a%20b.txt", server.Requests);
        Assert.Contains("GET /v1/sessions/ses-1/files?path=dir", server.Requests);
        Assert.Contains("DELETE /v1/sessions/ses-1", server.Requests);
    }

    [Fact]
    public async Task ListJobsAsync_SendsFilterAndCursor_AndReadsThePage()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        using var client = new CordonClient(server.Url, "tok");

        var page = await client.ListJobsAsync(JobStatus.CompileError, 10, "c/1", Ct);
        var cancelled = await client.CancelJobAsync(FakeCordonServer.JobId, Ct);

        Assert.Equal("c2", page.Next);
        Assert.Single(page.Items);
        Assert.Contains("GET /v1/jobs?status=compile_error&limit=10&cursor=c%2F1", server.Requests);
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
    }

    [Fact]
    public async Task GetArtifactAsync_ReturnsTheBytes()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        using var client = new CordonClient(server.Url, "tok");

        var bytes = await client.GetArtifactAsync(FakeCordonServer.JobId, "out/plot.png", Ct);

        Assert.Equal("artifact:out/plot.png", Encoding.UTF8.GetString(bytes));
    }
}
