using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cordon.ControlPlane.Jobs;

internal static class JobEndpoints
{
    public static RouteGroupBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/jobs").WithTags("Jobs").RequireAuthorization(Scopes.JobsRun);
        group.MapPost("", CreateAsync).WithName("CreateJob");
        group.MapGet("", ListAsync).WithName("ListJobs");
        group.MapGet("/{id}", GetAsync).WithName("GetJob");
        group.MapGet("/{id}/events", EventsAsync).WithName("GetJobEvents");
        group.MapPost("/{id}/cancel", CancelAsync).WithName("CancelJob");
        group.MapGet("/{id}/artifacts/{**path}", GetArtifactAsync).WithName("GetJobArtifact");
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
