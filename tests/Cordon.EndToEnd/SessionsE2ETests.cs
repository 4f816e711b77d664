using System.Net;
using System.Net.Http.Json;
using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>Stateful sessions: interpreter state, files, timeouts and teardown on a real runner.</summary>
public sealed class SessionsE2ETests(StackFixture stack)
{
    private readonly HttpClient _client = stack.ClientFor();

    [Theory]
    [InlineData("python", "x = 1", "print(x)")]
    [InlineData("javascript", "var x = 1", "console.log(x)")]
    public async Task CodeState_PersistsBetweenExecutions(string language, string set, string print)
    {
        var session = await CreateAsync($$"""{"language":"{{language}}"}""");
        Assert.Equal(SessionStatus.Ready, session.Status);

        var first = await ExecAsync(session.Id, new { code = set });
        first.Expect(JobStatus.Succeeded, stack);
        var second = await ExecAsync(session.Id, new { code = print });
        Assert.Equal("1\n", second.Stdout);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/v1/sessions/{session.Id}", Ct)).StatusCode);
        var ended = await (await _client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>(stack);
        Assert.Equal(SessionEndReason.Closed, ended.EndReason);
    }

    [Fact]
    public async Task Files_PutGetListDelete_AndCommandSeesThem()
    {
        var session = await CreateAsync("""{"language":"bash"}""");
        var put = await _client.PutAsync($"/v1/sessions/{session.Id}/files/data/in.txt", new ByteArrayContent("hello"u8.ToArray()), Ct);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        Assert.Equal("hello", await _client.GetStringAsync($"/v1/sessions/{session.Id}/files/data/in.txt", Ct));
        var listing = await (await _client.GetAsync($"/v1/sessions/{session.Id}/files?path=data", Ct)).ReadAsync<IReadOnlyList<WorkspaceFile>>(stack);
        Assert.Contains(listing, f => f.Path.EndsWith("in.txt", StringComparison.Ordinal) && f.Size == 5);

        var cat = await ExecAsync(session.Id, new { command = "cat data/in.txt; echo; pwd" });
        Assert.Equal("hello\n/workspace\n", cat.Stdout);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/v1/sessions/{session.Id}/files/data/in.txt", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/v1/sessions/{session.Id}/files/data/in.txt", Ct)).StatusCode);
        await _client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
    }

    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("a%2F..%2F..%2Fx")]
    public async Task FilePathAttacks_Are400(string path)
    {
        var session = await CreateAsync("""{"language":"bash"}""");
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/v1/sessions/{session.Id}/files/{path}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PutAsync($"/v1/sessions/{session.Id}/files/{path}", new ByteArrayContent([1]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/v1/sessions/{session.Id}/files?path={path}", Ct)).StatusCode);
        await _client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
    }

    [Fact]
    public async Task SymlinkLeavingWorkspace_IsRefused()
    {
        var session = await CreateAsync("""{"language":"bash"}""");
        await ExecAsync(session.Id, new { command = "ln -s /etc/passwd leak" });
        var read = await _client.GetAsync($"/v1/sessions/{session.Id}/files/leak", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, read.StatusCode);
        await _client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
    }

    [Fact]
    public async Task ExecTimeout_IsEnforced_AndSessionStaysUsable()
    {
        var session = await CreateAsync("""{"language":"bash"}""");
        var slow = await ExecAsync(session.Id, new { command = "sleep 30", timeoutMs = 500 });
        slow.Expect(JobStatus.Timeout, stack);
        var next = await ExecAsync(session.Id, new { command = "echo ok" });
        Assert.Equal("ok\n", next.Stdout);
        await _client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
    }

    [Fact]
    public async Task ConcurrentExec_Is409()
    {
        var session = await CreateAsync("""{"language":"bash"}""");
        var busy = await _client.PostAsJsonAsync($"/v1/sessions/{session.Id}/exec", new { command = "sleep 3", wait = false }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, busy.StatusCode);
        var second = await _client.PostAsJsonAsync($"/v1/sessions/{session.Id}/exec", new { command = "echo" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        await _client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
    }

    [Fact]
    public async Task IdleTimeout_EndsSessionOnTheServer()
    {
        var session = await CreateAsync("""{"language":"bash","idleTimeoutSec":1,"ttlSec":60}""");
        Session current = session;
        for (var i = 0; i < 100 && current.Status != SessionStatus.Ended; i++)
        {
            await Task.Delay(100, Ct);
            current = await (await _client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>(stack);
        }

        Assert.Equal(SessionEndReason.IdleTimeout, current.EndReason);
    }

    [Fact]
    public async Task OtherTenant_Gets404()
    {
        var session = await CreateAsync("""{"language":"bash"}""");
        var other = stack.ClientFor(tenant: "someone-else");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/v1/sessions/{session.Id}/exec", new { command = "id" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/sessions/{session.Id}/files?path=", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/v1/sessions/{session.Id}", Ct)).StatusCode);
        await _client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
    }

    private async Task<Session> CreateAsync(string body)
    {
        var response = await _client.PostAsync("/v1/sessions", Json(body), Ct);
        return await response.ReadAsync<Session>(stack);
    }

    private async Task<Job> ExecAsync(string id, object body) =>
        await (await _client.PostAsJsonAsync($"/v1/sessions/{id}/exec", body, Ct)).ReadAsync<Job>(stack);
}
