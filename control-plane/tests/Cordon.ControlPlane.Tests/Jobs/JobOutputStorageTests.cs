using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Storage;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cordon.ControlPlane.Tests.Jobs;

/// <summary>
/// Output is stored once, as the job's events, while it streams: the control plane's memory holds one coalescing
/// buffer, not the job's output, and <c>GET /v1/jobs/{id}</c>, the result event and a resumed stream are served
/// from that one copy.
/// </summary>
public sealed class JobOutputStorageTests : ApiTestBase
{
    private const long FloodBytes = 32L * 1024 * 1024;

    // One coalescing buffer, plus at most one runner chunk (64 KiB) appended before it is written.
    private const long BufferBound = OutputCollector.CoalesceChars + 64 * 1024;

    [Fact]
    public async Task RunningJob_32MiBOfOutput_StoredAsItStreams_MemoryHoldsOneBuffer()
    {
        var client = Factory.ClientFor();
        var buffers = Factory.Services.GetRequiredService<OutputBuffers>();
        var created = await (await client.PostAsync("/v1/jobs", Http.Json($$"""{"language":"python","code":"flood {{FloodBytes}}\nout done\nhang","wait":false}"""), Ct)).ReadAsync<Job>();

        // The job is still running (it hangs after printing) and all of its output is already stored.
        var running = await WaitForStdoutEndAsync(client, created.Id, "done\n");
        Assert.Equal(JobStatus.Running, running.Status);
        Assert.Equal(FloodBytes + 5, running.Stdout.Length);
        Assert.InRange(buffers.Chars, 0, BufferBound);
        Assert.InRange(buffers.PeakChars, 1, BufferBound);

        var cancelled = await (await client.PostAsync($"/v1/jobs/{created.Id}/cancel", null, Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(FloodBytes + 5, cancelled.Stdout.Length);
        Assert.Equal(0, buffers.Chars);

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        var rows = await db.JobEvents.IgnoreQueryFilters().CountAsync(e => e.JobId == created.Id && e.Kind == JobEventTypes.Stdout, Ct);
        Assert.InRange(rows, FloodBytes / OutputCollector.CoalesceChars, (FloodBytes / OutputCollector.CoalesceChars) + 2);
        var job = await db.Jobs.IgnoreQueryFilters().SingleAsync(j => j.Id == created.Id, Ct);
        Assert.Equal(FloodBytes + 5, job.StoredBytes);
        Assert.Equal(FloodBytes + 5, await db.TenantStorage.IgnoreQueryFilters().Where(t => t.TenantId == "acme").Select(t => t.UsedBytes).SingleAsync(Ct));
    }

    [Fact]
    public async Task FinishedJob_OutputStoredOnce_GetResultAndResumeServeTheSameText()
    {
        var client = Factory.ClientFor();
        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out héllo wörld\nerr warn ✓\nout two"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal("héllo wörld\ntwo\n", job.Stdout);
        Assert.Equal("warn ✓\n", job.Stderr);

        // The stored result event carries no copy of the output: it is rendered from the output events.
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
            var result = await db.JobEvents.IgnoreQueryFilters().SingleAsync(e => e.JobId == job.Id && e.Kind == JobEventTypes.Result, Ct);
            Assert.Equal("", result.Data);
            var stored = await db.Jobs.IgnoreQueryFilters().SingleAsync(j => j.Id == job.Id, Ct);
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(job.Stdout + job.Stderr), stored.StoredBytes);
        }

        var events = await SseReader.ReadJobEventsAsync(client, job.Id, null, Ct);
        var resultJob = JsonSerializer.Deserialize(events[^1].Data, CordonJsonContext.Default.Job)!;
        Assert.Equal("result", events[^1].Event);
        Assert.Equal((job.Stdout, job.Stderr, job.Status), (resultJob.Stdout, resultJob.Stderr, resultJob.Status));
        Assert.Null(resultJob.OutputExpiredAt);

        // Resumed after the first stdout event: the rest of the output, then the same result.
        var first = events.First(e => e.Event == "stdout");
        var resumed = await SseReader.ReadJobEventsAsync(client, job.Id, first.Id, Ct);
        Assert.DoesNotContain(resumed, e => e.Id == first.Id);
        Assert.Equal(events.SkipWhile(e => e.Id != first.Id).Skip(1).Select(e => (e.Id, e.Event, e.Data)), resumed.Select(e => (e.Id, e.Event, e.Data)));
        var fromGet = await (await client.GetAsync($"/v1/jobs/{job.Id}", Ct)).ReadAsync<Job>();
        Assert.Equal(job.Stdout, fromGet.Stdout);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/jobs/{job.Id}", Ct)).StatusCode);
    }

    private static async Task<Job> WaitForStdoutEndAsync(HttpClient client, string id, string end)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = await (await client.GetAsync($"/v1/jobs/{id}", Ct)).ReadAsync<Job>();
            if (job.Stdout.EndsWith(end, StringComparison.Ordinal) || job.Status.IsTerminal())
            {
                return job;
            }

            await Task.Delay(200, Ct);
        }

        throw new TimeoutException($"job {id} did not print '{end}'");
    }
}
