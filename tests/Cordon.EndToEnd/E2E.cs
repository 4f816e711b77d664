using System.Net.Http.Json;
using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;

namespace Cordon.EndToEnd;

internal static class E2E
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string WithMode(this string path, UnixFileMode mode)
    {
        File.SetUnixFileMode(path, mode);
        return path;
    }

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

    public static async Task<List<(string Id, string Event, string Data)>> ReadEventsAsync(this HttpClient client, string id, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{id}/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.EnsureSuccessStatusCode();
        var events = new List<(string, string, string)>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        string? eventId = null, name = null, data = null;
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null)
                {
                    events.Add((eventId ?? "", name, data ?? ""));
                }

                eventId = name = data = null;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                eventId = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = data is null ? line[6..] : data + "\n" + line[6..];
            }
        }

        return events;
    }
}
