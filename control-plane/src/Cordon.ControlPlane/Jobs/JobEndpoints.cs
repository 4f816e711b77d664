using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cordon.ControlPlane.Jobs;

internal static class JobEndpoints
{
    public static RouteGroupBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/jobs").WithTags("Jobs").RequireAuthorization(Scopes.JobsRun);
        group.MapPost("", CreateAsync).WithName("CreateJob")
            .WithSummary("Run a one-shot job")
            .WithDescription("With wait true (the default) answers 200 with the finished job; with wait false answers 202 at once, Location naming the job. Idempotency-Key makes a retry return the first job.")
            .ProducesProblems(400, 403, 409, 413, 501, 503);
        group.MapGet("", ListAsync).WithName("ListJobs")
            .WithSummary("List the tenant's jobs, newest first")
            .WithDescription("Summaries without output; next is the cursor of the following page, null on the last.")
            .ProducesProblems(400);
        group.MapGet("/{id}", GetAsync).WithName("GetJob").WithSummary("Get a job, with its output").ProducesProblems(404);
        group.MapGet("/{id}/events", EventsAsync).WithName("GetJobEvents")
            .WithSummary("Follow a job's output and status as server-sent events")
            .WithDescription("Events stdout and stderr (data: {\"data\": text}), status (data: {\"status\", \"error\"}) and last result (data: the Job). Every event has an id; Last-Event-ID resumes after it.")
            .ProducesProblems(404);
        group.MapPost("/{id}/cancel", CancelAsync).WithName("CancelJob")
            .WithSummary("Cancel a queued or running job")
            .WithDescription("Answers the job; a job that has already finished is returned unchanged.")
            .ProducesProblems(404, 409);
        group.MapGet("/{id}/artifacts/{**path}", GetArtifactAsync).WithName("GetJobArtifact")
            .WithSummary("Download an artifact collected after the run")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream")
            .ProducesProblems(400, 404);
        return group;
    }

    private static async Task<Results<Ok<Job>, Accepted<Job>>> CreateAsync(
        CreateJobRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        JobCreator creator,
        JobEventReader events,
        CancellationToken cancellationToken)
    {
        var job = await creator.CreateAsync(request, idempotencyKey, storeDenial: !(request.Wait ?? true), cancellationToken);
        if (request.Wait ?? true)
        {
            return TypedResults.Ok(await events.WaitAsync(job.Id, cancellationToken));
        }

        return TypedResults.Accepted($"/v1/jobs/{job.Id}", job);
    }

    private static async Task<Ok<Job>> GetAsync(string id, JobReader jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.GetAsync(id, cancellationToken));

    private static async Task<Ok<JobPage>> ListAsync(string? status, int? limit, string? cursor, JobReader jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.ListAsync(JobListQuery.Parse(status, limit, cursor), cancellationToken));

    private static async Task<Ok<Job>> CancelAsync(string id, JobCanceller canceller, CancellationToken cancellationToken) =>
        TypedResults.Ok(await canceller.CancelAsync(id, cancellationToken));

    private static async Task<ServerSentEventsResult<string>> EventsAsync(
        string id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        JobReader jobs,
        JobEventReader events,
        CancellationToken cancellationToken)
    {
        await jobs.EnsureExistsAsync(id, cancellationToken);
        var after = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return TypedResults.ServerSentEvents(StreamAsync(events, id, after, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(JobEventReader events, string id, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in events.ReadAsync(id, after, cancellationToken))
        {
            yield return new SseItem<string>(item.Data, item.Kind) { EventId = item.Id.ToString(CultureInfo.InvariantCulture) };
        }
    }

    private static async Task<FileStreamHttpResult> GetArtifactAsync(string id, string path, JobArtifacts artifacts, CancellationToken cancellationToken)
    {
        var (content, info) = await artifacts.OpenAsync(id, path, cancellationToken);
        return TypedResults.Stream(content, "application/octet-stream", fileDownloadName: Path.GetFileName(info.Path));
    }
}
