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
        JobService jobs,
        CancellationToken cancellationToken)
    {
        var job = await jobs.CreateAsync(request, idempotencyKey, cancellationToken);
        if (request.Wait ?? true)
        {
            return TypedResults.Ok(await jobs.WaitAsync(job.Id, cancellationToken));
        }

        return TypedResults.Accepted($"/v1/jobs/{job.Id}", job);
    }

    private static async Task<Ok<Job>> GetAsync(string id, JobService jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.GetAsync(id, cancellationToken));

    private static async Task<Ok<JobPage>> ListAsync(string? status, int? limit, string? cursor, JobService jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.ListAsync(status, limit, cursor, cancellationToken));

    private static async Task<Ok<Job>> CancelAsync(string id, JobService jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.CancelAsync(id, cancellationToken));

    private static async Task<ServerSentEventsResult<string>> EventsAsync(
        string id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        JobService jobs,
        CancellationToken cancellationToken)
    {
        await jobs.EnsureExistsAsync(id, cancellationToken);
        var after = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return TypedResults.ServerSentEvents(StreamAsync(jobs, id, after, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(JobService jobs, string id, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in jobs.ReadEventsAsync(id, after, cancellationToken))
        {
            yield return new SseItem<string>(item.Data, item.Kind) { EventId = item.Id.ToString(CultureInfo.InvariantCulture) };
        }
    }

    private static async Task<FileStreamHttpResult> GetArtifactAsync(string id, string path, JobService jobs, CancellationToken cancellationToken)
    {
        var (content, info) = await jobs.OpenArtifactAsync(id, path, cancellationToken);
        return TypedResults.Stream(content, "application/octet-stream", fileDownloadName: Path.GetFileName(info.Path));
    }
}
