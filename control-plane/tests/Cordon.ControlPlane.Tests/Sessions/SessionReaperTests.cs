using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Sessions;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cordon.ControlPlane.Tests.Sessions;

public sealed class SessionReaperTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private ControlPlaneFactory _factory = null!;
    private FakeRunnerHost _runner = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The background loop would tick on the fake clock too; a long interval leaves the rounds to the tests.
    public async ValueTask InitializeAsync() => (_factory, _runner) = await ControlPlaneFactory.StartAsync(
        new Dictionary<string, string?> { ["Cordon:Sessions:ReapIntervalSeconds"] = "3600" }, _time);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
    }

    [Fact]
    public async Task ReapOnce_IdlePastTimeout_EndsIdleTimeoutAndDestroysSandbox()
    {
        var client = _factory.ClientFor();
        var session = await SessionEndpointsTests.CreateAsync(client, """{"language":"python","idleTimeoutSec":30,"ttlSec":3600}""");
        var reaper = _factory.Services.GetRequiredService<SessionReaper>();

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await reaper.ReapOnceAsync(Ct));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await reaper.ReapOnceAsync(Ct));

        var ended = await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>();
        Assert.Equal(SessionStatus.Ended, ended.Status);
        Assert.Equal(SessionEndReason.IdleTimeout, ended.EndReason);
        Assert.Empty(_runner.State.Sandboxes);
    }

    [Fact]
    public async Task ReapOnce_ActivityResetsIdle_ButTtlEndsAnyway()
    {
        var client = _factory.ClientFor();
        var session = await SessionEndpointsTests.CreateAsync(client, """{"language":"python","idleTimeoutSec":30,"ttlSec":60}""");
        var reaper = _factory.Services.GetRequiredService<SessionReaper>();

        _time.Advance(TimeSpan.FromSeconds(25));
        await client.PostAsync($"/v1/sessions/{session.Id}/exec", Http.Json("""{"command":"echo hi"}"""), Ct);
        _time.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(0, await reaper.ReapOnceAsync(Ct));

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1, await reaper.ReapOnceAsync(Ct));
        var ended = await (await client.GetAsync($"/v1/sessions/{session.Id}", Ct)).ReadAsync<Session>();
        Assert.Equal(SessionEndReason.Ttl, ended.EndReason);
    }
}
