using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cordon.ControlPlane.Sessions;

internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/sessions").WithTags("Sessions").RequireAuthorization(Scopes.SessionsUse);
        group.MapPost("", CreateAsync).WithName("CreateSession")
            .WithSummary("Start a session: a sandbox that keeps files and interpreter state")
            .ProducesProblems(400, 403, 413, 501, 503);
        group.MapGet("/{id}", GetAsync).WithName("GetSession").WithSummary("Get a session").ProducesProblems(404);
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteSession").WithSummary("End a session and remove its sandbox").ProducesProblems(404);
        group.MapPost("/{id}/exec", ExecAsync).WithName("ExecInSession")
            .WithSummary("Run code or a shell command in a session")
            .WithDescription("One execution at a time (409 while one runs). Answers a job: 200 finished (wait true, the default) or 202 at once.")
            .ProducesProblems(400, 403, 404, 409, 413, 503);

        // Files need files:rw, not sessions:use, so they are a group of their own.
        var files = app.MapGroup("/v1/sessions/{id}/files").WithTags("Session files").RequireAuthorization(Scopes.FilesReadWrite);
        files.MapGet("", ListFilesAsync).WithName("ListSessionFiles")
            .WithSummary("List a directory of the session's workspace (path: default the workspace itself)")
            .ProducesProblems(400, 404);
        files.MapPut("/{**path}", PutFileAsync).WithName("PutSessionFile")
            .WithSummary("Write a file in the session's workspace (the body, byte-exact)")
            .Accepts<Stream>("application/octet-stream")
            .ProducesProblems(400, 404, 409, 413, 429);
        files.MapGet("/{**path}", GetFileAsync).WithName("GetSessionFile")
            .WithSummary("Read a file of the session's workspace")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream")
            .ProducesProblems(400, 404, 409);
        files.MapDelete("/{**path}", DeleteFileAsync).WithName("DeleteSessionFile").WithSummary("Delete a file of the session's workspace").ProducesProblems(400, 404, 409);
        return group;
    }

    private static async Task<Created<Session>> CreateAsync(CreateSessionRequest request, SessionCreator sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/v1/sessions/{session.Id}", session);
    }

    private static async Task<Ok<Session>> GetAsync(string id, SessionLifecycle sessions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sessions.GetAsync(id, cancellationToken));

    private static async Task<NoContent> DeleteAsync(string id, SessionLifecycle sessions, CancellationToken cancellationToken)
    {
        await sessions.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Job>, Accepted<Job>>> ExecAsync(
        string id, ExecRequest request, SessionExecutions sessions, JobEventReader jobs, CancellationToken cancellationToken)
    {
        var execution = await sessions.ExecAsync(id, request, storeDenial: !(request.Wait ?? true), cancellationToken);
        if (request.Wait ?? true)
        {
            return TypedResults.Ok(await jobs.WaitAsync(execution.Id, cancellationToken));
        }

        return TypedResults.Accepted($"/v1/jobs/{execution.Id}", execution);
    }

    private static async Task<Ok<IReadOnlyList<WorkspaceFile>>> ListFilesAsync(string id, string? path, SessionFiles files, CancellationToken cancellationToken) =>
        TypedResults.Ok(await files.ListAsync(id, path, cancellationToken));

    private static async Task<NoContent> PutFileAsync(string id, string path, HttpRequest request, SessionFiles files, CancellationToken cancellationToken)
    {
        await files.WriteAsync(id, path, request.Body, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<FileContentHttpResult> GetFileAsync(string id, string path, SessionFiles files, CancellationToken cancellationToken) =>
        TypedResults.File(await files.ReadAsync(id, path, cancellationToken), "application/octet-stream");

    private static async Task<NoContent> DeleteFileAsync(string id, string path, SessionFiles files, CancellationToken cancellationToken)
    {
        await files.DeleteAsync(id, path, cancellationToken);
        return TypedResults.NoContent();
    }
}
