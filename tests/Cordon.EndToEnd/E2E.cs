using System.Net.Http.Json;
using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;

namespace Cordon.EndToEnd;

internal static class E2E
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static void Expect(this Job job, JobStatus status, StackFixture stack) =>
        Assert.True(job.Status == status, $"job {job.Id}: expected {status}, got {job.Status} (error: {job.Error}; stdout: {job.Stdout}; stderr: {job.Stderr})\n{stack.Diagnostics()}");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, StackFixture stack)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}\n{stack.Diagnostics()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(CordonJsonContext.Default.Options, Ct))!;
    }

    public static async Task<Job> RunAsync(this HttpClient client, StackFixture stack, string json) =>
        await (await client.PostAsync("/v1/jobs", Json(json), Ct)).ReadAsync<Job>(stack);

    public static async Task<Job> PollAsync(this HttpClient client, StackFixture stack, string id, Func<Job, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await (await client.GetAsync($"/v1/jobs/{id}", Ct)).ReadAsync<Job>(stack);
            if (until(job) || DateTime.UtcNow > deadline)
            {
                return job;
            }

            await Task.Delay(100, Ct);
        }
    }
}
