using System.Net;
using System.Net.Http.Json;
using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Tests.Infrastructure;

namespace Cordon.ControlPlane.Tests.Sessions;

public sealed class SessionEndpointsTests : ApiTestBase
{
    [Fact]
    public async Task Create_Returns201Ready_AndCodeStatePersistsBetweenExecs()
    {
        var client = Factory.ClientFor();
        var response = await client.PostAsync("/v1/sessions", Http.Json("""{"language":"py","idleTimeoutSec":60,"ttlSec":120}"""), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await response.ReadAsync<Session>();
        Assert.Equal(SessionStatus.Ready, session.Status);
        Assert.Equal("python", session.Language);
        Assert.Equal(session.CreatedAt.AddSeconds(120), session.ExpiresAt);

        var set = await (await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"code":"x = 1"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Succeeded, set.Status);
        var print = await (await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"code":"print(x)"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal("1\n", print.Stdout);
        Assert.Equal(session.Id, print.SessionId);

        var command = await (await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"echo hi"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal("hi\n", command.Stdout);
        Assert.Equal(SessionStatus.Ready, (await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>()).Status);
    }

    [Fact]
    public async Task Exec_WhileBusy_Returns409()
    {
        var client = Factory.ClientFor();
        var session = await CreateAsync(client);
        var first = await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"sleep 1000","wait":false}"""), Ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(SessionStatus.Busy, (await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>()).Status);

        var second = await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"echo hi"}"""), Ct);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task Exec_TimeoutFromRunner_IsTimeoutStatus()
    {
        var client = Factory.ClientFor();
        var session = await CreateAsync(client);
        var job = await (await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"timeout","timeoutMs":100}"""), Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Timeout, job.Status);
        Assert.Equal("SIGKILL", job.Signal);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"command":"a","code":"b"}""")]
    [InlineData("""{"command":"a","timeoutMs":0}""")]
    [InlineData("""{"command":"a","extra":true}""")]
    public async Task Exec_InvalidRequest_Returns400(string body)
    {
        var client = Factory.ClientFor();
        var session = await CreateAsync(client);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json(body), Ct)).StatusCode);
    }

    [Fact]
    public async Task Files_PutGetListDelete_RoundTrip()
    {
        var client = Factory.ClientFor();
        var session = await CreateAsync(client);
        var put = await client.PutAsync($"/v1/sessions/{session.Id}/files/dir/a.txt", new ByteArrayContent("hello"u8.ToArray()), Ct);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        Assert.Equal("hello", await client.GetStringAsync($"/v1/sessions/{session.Id}/files/dir/a.txt", Ct));
        var list = await (await client.GetAsync($"/v1/sessions/{session.Id}/files?path=dir", Ct)).ReadAsync<IReadOnlyList<WorkspaceFile>>();
        Assert.Contains(list, f => f.Path == "dir/a.txt" && f.Size == 5);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/sessions/{session.Id}/files/dir/a.txt", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/sessions/{session.Id}/files/dir/a.txt", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("..%2Fetc%2Fpasswd")]
    [InlineData("a/..%2F..%2Fx")]
    [InlineData("%2Fetc%2Fpasswd")]
    public async Task Files_PathAttack_Returns400(string path)
    {
        var client = Factory.ClientFor();
        var session = await CreateAsync(client);
        var put = await client.PutAsync($"/v1/sessions/{session.Id}/files/{path}", new ByteArrayContent([1]), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/v1/sessions/{session.Id}/files?path={path}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Delete_DestroysSandbox_AndSessionEndsClosed()
    {
        var client = Factory.ClientFor();
        var session = await CreateAsync(client);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/sessions/{session.Id}", Ct)).StatusCode);

        var ended = await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>();
        Assert.Equal(SessionStatus.Ended, ended.Status);
        Assert.Equal(SessionEndReason.Closed, ended.EndReason);
        Assert.Empty(Runner.State.Sandboxes);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"echo"}"""), Ct)).StatusCode);
    }

    [Fact]
    public async Task Session_OfAnotherTenant_Is404()
    {
        var session = await CreateAsync(Factory.ClientFor("acme"));
        var other = Factory.ClientFor("globex");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/sessions/{session.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"echo"}"""), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/sessions/{session.Id}/files?path=", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/v1/sessions/{session.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task FilesEndpoints_NeedFilesScope()
    {
        var session = await CreateAsync(Factory.ClientFor());
        var noFiles = Factory.ClientFor(scopes: "sessions:use");
        Assert.Equal(HttpStatusCode.Forbidden, (await noFiles.GetAsync($"/v1/sessions/{session.Id}/files", Ct)).StatusCode);
    }

    internal static async Task<Session> CreateAsync(HttpClient client, string body = """{"language":"python"}""")
    {
        var response = await client.PostAsync("/v1/sessions", Http.Json(body), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<Session>();
    }
}
