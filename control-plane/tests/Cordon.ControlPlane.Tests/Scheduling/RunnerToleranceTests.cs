using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cordon.ControlPlane.Tests.Scheduling;

/// <summary>The default tolerance (3 failed checks over at least 10 s) on a fake clock, against a runner that stopped.</summary>
public sealed class RunnerToleranceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private ControlPlaneFactory _factory = null!;
    private FakeRunnerHost _runner = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Long intervals: the background loops would tick on the fake clock too; the rounds are the test's.
    public async ValueTask InitializeAsync() => (_factory, _runner) = await ControlPlaneFactory.StartAsync(
        new Dictionary<string, string?>
        {
            ["Cordon:Scheduling:HealthIntervalSeconds"] = "3600",
            ["Cordon:Scheduling:ReconcileIntervalSeconds"] = "86400",
            ["Cordon:Sessions:ReapIntervalSeconds"] = "3600",
        }, _time);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
    }

    [Fact]
    public async Task CheckAll_FailingForLessThanTheSpan_RunnerStaysUp_SessionLives()
    {
        var client = _factory.ClientFor();
        var session = await SessionEndpointsTests.CreateAsync(client);
        var monitor = _factory.Services.GetRequiredService<RunnerHealthMonitor>();
        var runner = _factory.Services.GetRequiredService<RunnerRegistry>().All.Single();
        await _runner.StopAsync();

        // Five failed checks 2 s apart: 8 s of failures, under the 10 s the default asks for.
        for (var i = 0; i < 5; i++)
        {
            await monitor.CheckAllAsync(Ct);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.True(runner.IsUp);
        Assert.Equal(SessionStatus.Ready, (await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>()).Status);

        await monitor.CheckAllAsync(Ct); // 10 s after the first failed check began
        Assert.False(runner.IsUp);
        Session lost = session;
        for (var i = 0; i < 100 && lost.Status != SessionStatus.Ended; i++)
        {
            await Task.Delay(50, Ct);
            lost = await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>();
        }

        Assert.Equal(SessionEndReason.RunnerLost, lost.EndReason);
    }
}
