using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Tests.Infrastructure;

/// <summary>Reads a job over <c>GET /v1/jobs/{id}</c> until it finished or reached a status, bounded in time.</summary>
internal static class JobPolling
{
    public static async Task<Job> GetJobAsync(HttpClient client, string id) =>
        await (await client.GetAsync($"/v1/jobs/{id}", TestContext.Current.CancellationToken)).ReadAsync<Job>();

    /// <summary>The job once it is terminal (200 reads, 50 ms apart).</summary>
    public static async Task<Job> PollAsync(HttpClient client, string id)
    {
        for (var i = 0; i < 200; i++)
        {
            var job = await GetJobAsync(client, id);
            if (job.Status.IsTerminal())
            {
                return job;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"job {id} did not finish");
    }

    /// <summary>Returns once the job has <paramref name="status"/> (200 reads, 25 ms apart).</summary>
    public static async Task WaitForStatusAsync(HttpClient client, string id, JobStatus status)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await GetJobAsync(client, id)).Status == status)
            {
                return;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"job {id} never reached {status}");
    }
}
