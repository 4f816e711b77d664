using System.Net;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Jobs;
using Cordon.ControlPlane.Tests.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Cordon.ControlPlane.Tests.Scheduling;

public sealed class RunnerLossTests : ApiTestBase
{
    // No time tolerance here (RunnerToleranceTests covers it): three failed checks in a row mark the runner down.
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Cordon:Scheduling:FailuresBeforeDown"] = "3",
        ["Cordon:Scheduling:DownAfterSeconds"] = "0",
    };

    [Fact]
    public async Task RunnerStopsAnswering_RunningJobEndsError_SessionEndsRunnerLost()
    {
        var client = Factory.ClientFor();
        var session = await SessionEndpointsTests.CreateAsync(client);
        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"hang","wait":false}"""), Ct)).ReadAsync<Job>();
        await Task.Delay(300, Ct);

        await Runner.StopAsync();
        var monitor = Factory.Services.GetRequiredService<RunnerHealthMonitor>();
        for (var i = 0; i < 3; i++)
        {
            await monitor.CheckAllAsync(Ct);
        }

        var finished = await JobPolling.PollAsync(client, job.Id);
        Assert.Equal(JobStatus.Error, finished.Status);
        Assert.False(string.IsNullOrEmpty(finished.Error));

        Session lost = session;
        for (var i = 0; i < 100 && lost.Status != SessionStatus.Ended; i++)
        {
            await Task.Delay(50, Ct);
            lost = await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>();
        }

        Assert.Equal(SessionStatus.Ended, lost.Status);
        Assert.Equal(SessionEndReason.RunnerLost, lost.EndReason);

        var noRunner = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a"}"""), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noRunner.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Factory.CreateClient().GetAsync("/readyz", Ct)).StatusCode);
    }
}
