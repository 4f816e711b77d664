using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Cordon.Client.Jobs;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;

namespace Cordon.Client;

public sealed partial class CordonClient
{
    private const int MaxReconnectAttempts = 5;
    private static readonly TimeSpan DefaultReconnectDelay = TimeSpan.FromMilliseconds(250);

    /// <summary><c>POST /v1/jobs</c> with <c>wait: true</c>: runs the job and answers when it has finished.</summary>
    /// <param name="request">The job; its <c>wait</c> member is overridden.</param>
    /// <param name="idempotencyKey">Optional <c>Idempotency-Key</c>: the same key and body return the same job.</param>
    /// <param name="cancellationToken">Cancels the call (not the job: use <see cref="CancelJobAsync"/>).</param>
    public Task<Job> RunJobAsync(CreateJobRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        PostJobAsync(request with { Wait = true }, idempotencyKey, cancellationToken);

    /// <summary><c>POST /v1/jobs</c> with <c>wait: false</c>: answers at once with the queued job; follow it with
    /// <see cref="StreamJobEventsAsync"/> or <see cref="GetJobAsync"/>.</summary>
    /// <param name="request">The job; its <c>wait</c> member is overridden.</param>
    /// <param name="idempotencyKey">Optional <c>Idempotency-Key</c>: the same key and body return the same job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Job> CreateJobAsync(CreateJobRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        PostJobAsync(request with { Wait = false }, idempotencyKey, cancellationToken);

    /// <summary><c>GET /v1/jobs/{id}</c>.</summary>
    public Task<Job> GetJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        GetJsonAsync($"v1/jobs/{Uri.EscapeDataString(jobId)}", CordonJsonContext.Default.Job, cancellationToken);

    /// <summary><c>GET /v1/jobs</c>: one page of the tenant's jobs, newest first.</summary>
    /// <param name="status">Only jobs in this status.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="cursor">The <c>next</c> cursor of the previous page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<JobPage> ListJobsAsync(JobStatus? status = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (status is { } s)
        {
            query.Add("status=" + s.ToWireName());
        }

        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        }

        if (cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        var path = query.Count == 0 ? "v1/jobs" : "v1/jobs?" + string.Join('&', query);
        return GetJsonAsync(path, CordonJsonContext.Default.JobPage, cancellationToken);
    }

    /// <summary><c>POST /v1/jobs/{id}/cancel</c>: cancels the job; a finished job is returned unchanged.</summary>
    public async Task<Job> CancelJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(jobId)}/cancel");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, CordonJsonContext.Default.Job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /v1/jobs/{id}/artifacts/{path}</c>: the bytes of a collected file.</summary>
    public async Task<byte[]> GetArtifactAsync(string jobId, string path, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await DownloadArtifactAsync(jobId, path, buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary><c>GET /v1/jobs/{id}/artifacts/{path}</c>, copied into <paramref name="destination"/>.</summary>
    public Task DownloadArtifactAsync(string jobId, string path, Stream destination, CancellationToken cancellationToken = default) =>
        CopyToAsync($"v1/jobs/{Uri.EscapeDataString(jobId)}/artifacts/{EscapePath(path)}", destination, cancellationToken);

    /// <summary>
    /// <c>GET /v1/jobs/{id}/events</c>: the job's output chunks and status changes as they happen, ending with a
    /// <see cref="JobResultEvent"/>. A dropped connection is resumed with <c>Last-Event-ID</c>, so no event is lost
    /// or repeated; after repeated failures the call throws.
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="lastEventId">Resume after this event id (from <see cref="JobStreamEvent.EventId"/>); null: from the start.</param>
    /// <param name="cancellationToken">Stops listening (the job goes on).</param>
    public async IAsyncEnumerable<JobStreamEvent> StreamJobEventsAsync(
        string jobId,
        string? lastEventId = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var failures = 0;
        var connected = false;
        while (true)
        {
            var retryDelay = DefaultReconnectDelay * (failures + 1);
            var response = await OpenEventStreamAsync(jobId, lastEventId, retryOnFailure: connected, cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                connected = true;
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var parser = JobEventParser.Create(stream);
                var events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                try
                {
                    while (await TryMoveNextAsync(events, cancellationToken).ConfigureAwait(false))
                    {
                        var item = events.Current;
                        // Per the SSE spec the last event id persists until an event sets another.
                        lastEventId = parser.LastEventId is { Length: > 0 } id ? id : lastEventId;
                        if (item.Data is null)
                        {
                            continue;
                        }

                        failures = 0;
                        yield return item.Data with { EventId = lastEventId };
                        if (item.Data is JobResultEvent)
                        {
                            yield break;
                        }
                    }

                    if (parser.ReconnectionInterval != Timeout.InfiniteTimeSpan)
                    {
                        retryDelay = parser.ReconnectionInterval;
                    }
                }
                finally
                {
                    await events.DisposeAsync().ConfigureAwait(false);
                    response.Dispose();
                }
            }

            if (++failures > MaxReconnectAttempts)
            {
                // The stream keeps ending without a result: the job itself is the authority on whether it finished.
                var job = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
                if (!job.Status.IsTerminal())
                {
                    throw new CordonApiException($"The event stream of job {jobId} kept ending before the job finished ({MaxReconnectAttempts} reconnects).");
                }

                yield return new JobResultEvent { Job = job };
                yield break;
            }

            await Task.Delay(retryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage?> OpenEventStreamAsync(string jobId, string? lastEventId, bool retryOnFailure, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(jobId)}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException) when (retryOnFailure)
        {
            return null;
        }

        if (retryOnFailure && (int)response.StatusCode >= 500)
        {
            response.Dispose();
            return null;
        }

        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }

    /// <summary>A connection that drops mid-stream ends the enumeration, so the caller can resume.</summary>
    private static async Task<bool> TryMoveNextAsync<T>(IAsyncEnumerator<T> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private Task<Job> PostJobAsync(CreateJobRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(
            HttpMethod.Post,
            "v1/jobs",
            request,
            CordonJsonContext.Default.CreateJobRequest,
            CordonJsonContext.Default.Job,
            idempotencyKey is null ? null : r => r.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey),
            cancellationToken);
    }
}
