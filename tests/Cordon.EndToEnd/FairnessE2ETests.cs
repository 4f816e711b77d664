using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;

namespace Cordon.EndToEnd;

/// <summary>
/// Fair dispatch with real processes (a <c>cordon-runner</c> of two sandboxes, real runc jobs): one tenant's burst of
/// 200 jobs does not starve another tenant, whose single job starts at the next free slot, not after the burst drains;
/// and every accepted job of the burst ends with a reason.
/// </summary>
public sealed class FairnessE2ETests
{
    private const int Capacity = 2;
    private const int Burst = 200;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BurstOfOneTenant_AnothersJobStartsAtTheNextFreeSlot_AndNothingAcceptedIsDropped()
    {
        await using var stack = await LossStack.StartAsync(70_000_000, Capacity,
            "--Cordon:Quotas:Defaults:QueuedJobs=1000",
            "--Cordon:Quotas:Defaults:RequestsPerSecond=5000",
            "--Cordon:Quotas:Defaults:Burst=5000");
        using var a = stack.ClientFor("fair-a");
        using var b = stack.ClientFor("fair-b");

        var burst = new List<Job>();
        for (var i = 0; i < Burst; i++)
        {
            burst.Add(await SubmitAsync(a, stack, "sleep 2"));
        }

        // Let the runner fill with A's work first, so B's job arrives into a queue A holds.
        await WaitAsync(async () => (await ListAsync(a, stack, "running")).Count >= 1, TimeSpan.FromSeconds(60), stack);
        var single = await SubmitAsync(b, stack, "echo b");
        var clock = Stopwatch.StartNew();
        var done = await PollAsync(b, stack, single.Id, TimeSpan.FromSeconds(60));
        Assert.True(done.Status == JobStatus.Succeeded, $"B's job: {done.Status} {done.Error}\n{stack.Diagnostics()}");
        var bStarted = done.StartedAt!.Value;

        var aJobs = new List<Job>();
        foreach (var job in burst)
        {
            aJobs.Add(await GetAsync(a, stack, job.Id));
        }

        // FIFO would start every job of A's still waiting when B came before B. Fair: started after B was accepted but
        // before B, at most the jobs already dispatched to the two slots when it came (the runner reports a job's
        // start once its sandbox is up).
        var waiting = aJobs.Count(j => j.StartedAt is null || j.StartedAt >= single.CreatedAt);
        var overtook = aJobs.Count(j => j.StartedAt is { } s && s >= single.CreatedAt && s < bStarted);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fairness: {waiting} of A's {Burst} jobs waiting when B came; {overtook} of them started before B; B started {(bStarted - single.CreatedAt).TotalMilliseconds:F0} ms after it was accepted");
        Assert.True(waiting >= Burst / 2, $"only {waiting} of A's {Burst} jobs were waiting when B came: nothing to overtake");
        Assert.True(overtook <= Capacity + 1, $"{overtook} of A's {waiting} waiting jobs started between B's submission and B's start\n{stack.Diagnostics()}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"B's job took {clock.Elapsed} to finish");

        // Nothing accepted is dropped: A's queued jobs, cancelled now, and the ones running all end with a reason.
        foreach (var job in aJobs.Where(j => !j.Status.IsTerminal()))
        {
            await a.PostAsync(new Uri($"/v1/jobs/{job.Id}/cancel", UriKind.Relative), null, Ct);
        }

        foreach (var job in burst)
        {
            var end = await PollAsync(a, stack, job.Id, TimeSpan.FromSeconds(60));
            Assert.True(end.Status.IsTerminal(), $"A's job {job.Id} is still {end.Status}\n{stack.Diagnostics()}");
            Assert.True(end.Status == JobStatus.Succeeded || end.Error is { Length: > 0 }, $"A's job {job.Id} ended {end.Status} without a reason");
        }
    }

    private static async Task<Job> SubmitAsync(HttpClient client, LossStack stack, string code)
    {
        var response = await client.PostAsync(new Uri("/v1/jobs", UriKind.Relative),
            E2E.Json($$"""{"language":"bash","code":"{{code}}","wait":false}"""), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}\n{stack.Diagnostics()}");
        return (await response.Content.ReadFromJsonAsync(CordonJsonContext.Default.Job, Ct))!;
    }

    private static async Task<Job> GetAsync(HttpClient client, LossStack stack, string id)
    {
        var response = await client.GetAsync(new Uri($"/v1/jobs/{id}", UriKind.Relative), Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}\n{stack.Diagnostics()}");
        return (await response.Content.ReadFromJsonAsync(CordonJsonContext.Default.Job, Ct))!;
    }

    private static async Task<List<JobSummary>> ListAsync(HttpClient client, LossStack stack, string status)
    {
        var response = await client.GetAsync(new Uri($"/v1/jobs?status={status}&limit=100", UriKind.Relative), Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}\n{stack.Diagnostics()}");
        return [.. (await response.Content.ReadFromJsonAsync(CordonJsonContext.Default.JobPage, Ct))!.Items];
    }

    private static async Task<Job> PollAsync(HttpClient client, LossStack stack, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await GetAsync(client, stack, id);
            if (job.Status.IsTerminal() || DateTime.UtcNow > deadline)
            {
                return job;
            }

            await Task.Delay(100, Ct);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, LossStack stack)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out\n" + stack.Diagnostics());
            await Task.Delay(100, Ct);
        }
    }
}
