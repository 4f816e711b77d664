using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cordon.ControlPlane.Sessions;

internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/sessions").WithTags("Sessions").RequireAuthorization(Scopes.SessionsUse);
        group.MapPost("", CreateAsync).WithName("CreateSession");
        group.MapGet("/{id}", GetAsync).WithName("GetSession");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteSession");
        group.MapPost("/{id}/exec", ExecAsync).WithName("ExecInSession");

        // Files need files:rw, not sessions:use, so they are a group of their own.
        var files = app.MapGroup("/v1/sessions/{id}/files").WithTags("Session files").RequireAuthorization(Scopes.FilesReadWrite);
        files.MapGet("", ListFilesAsync).WithName("ListSessionFiles");
        files.MapPut("/{**path}", PutFileAsync).WithName("PutSessionFile");
        files.MapGet("/{**path}", GetFileAsync).WithName("GetSessionFile");
        files.MapDelete("/{**path}", DeleteFileAsync).WithName("DeleteSessionFile");
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
