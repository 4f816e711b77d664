using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.Contracts.Sessions;

namespace Cordon.EndToEnd;

/// <summary>
/// Runner loss against real processes: a runner stopped with SIGSTOP (a stall) or killed and restarted, each on a
/// stack of its own (<see cref="LossStack"/>) whose control plane checks health every 0.5 s with a 0.5 s timeout.
/// </summary>
public sealed class RunnerStallE2ETests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunnerStoppedThreeSeconds_SessionsSurviveAndRun()
    {
        // The default tolerance (3 failures over at least 10 s); a 3 s stall fails about five 0.5 s checks.
        await using var stack = await LossStack.StartAsync(66_000_000);
        var sessions = new[] { await stack.CreateSessionAsync(), await stack.CreateSessionAsync() };

        stack.Runner.Signal("STOP");
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        stack.Runner.Signal("CONT");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // a few good checks after the stall

        foreach (var session in sessions)
        {
            var after = await stack.GetSessionAsync(session.Id);
            Assert.True(after.Status == SessionStatus.Ready, $"session {session.Id} is {after.Status} ({after.EndReason}) after a 3 s stall\n{stack.Diagnostics()}");
            var exec = await stack.Client.PostAsJsonAsync($"/v1/sessions/{session.Id}/exec", new { command = "echo alive" }, Ct);
            var job = (await exec.Content.ReadFromJsonAsync(CordonJsonContext.Default.Job, Ct))!;
            Assert.True(job.Status == JobStatus.Succeeded && job.Stdout == "alive\n", $"{job.Status} {job.Error} {job.Stdout}\n{stack.Diagnostics()}");
        }

        Assert.Equal(2, (await stack.HostSandboxesAsync()).Count);
    }

    [Fact]
    public async Task RunnerStoppedPastTolerance_SessionsEndRunnerLost_SandboxesDestroyedWhenItReturns()
    {
        await using var stack = await LossStack.StartAsync(67_000_000,
            "--Cordon:Scheduling:FailuresBeforeDown=3", "--Cordon:Scheduling:DownAfterSeconds=2", "--Cordon:Scheduling:ReconcileIntervalSeconds=1");
        var sessions = new[] { await stack.CreateSessionAsync(), await stack.CreateSessionAsync(), await stack.CreateSessionAsync() };
        Assert.Equal(3, (await stack.HostSandboxesAsync()).Count);

        stack.Runner.Signal("STOP");
        var lost = await stack.WaitSessionsAsync(sessions, s => s.Status == SessionStatus.Ended, TimeSpan.FromSeconds(30));
        Assert.All(lost, s => Assert.True(s.EndReason == SessionEndReason.RunnerLost, $"{s.Id}: {s.Status} {s.EndReason}\n{stack.Diagnostics()}"));
        // The runner is stopped: its sandboxes are still there, nobody's any more.
        Assert.Equal(3, (await stack.HostSandboxesAsync()).Count);

        stack.Runner.Signal("CONT");
        var left = await stack.WaitNoSandboxesAsync(TimeSpan.FromSeconds(30));
        Assert.True(left.Count == 0, $"sandboxes left after the runner came back: {string.Join(", ", left)}\n{stack.Diagnostics()}");
    }

    [Fact]
    public async Task RunnerKilledAndRestarted_SessionsEndRunnerLost_NoSandboxLeft()
    {
        // A tolerance longer than the test: only the restart (a new instance_id) can end these sessions.
        await using var stack = await LossStack.StartAsync(68_000_000, "--Cordon:Scheduling:DownAfterSeconds=600");
        var sessions = new[] { await stack.CreateSessionAsync(), await stack.CreateSessionAsync() };

        stack.Runner.Kill(entireProcessTree: false); // a crash: the sandboxes stay behind
        await stack.Runner.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(2, (await stack.HostSandboxesAsync()).Count);
        await stack.RestartRunnerAsync();

        var ended = await stack.WaitSessionsAsync(sessions, s => s.Status == SessionStatus.Ended, TimeSpan.FromSeconds(90));
        Assert.All(ended, s => Assert.True(s.EndReason == SessionEndReason.RunnerLost, $"{s.Id}: {s.Status} {s.EndReason}\n{stack.Diagnostics()}"));
        var left = await stack.WaitNoSandboxesAsync(TimeSpan.FromSeconds(30));
        Assert.True(left.Count == 0, $"sandboxes left after the restart: {string.Join(", ", left)}\n{stack.Diagnostics()}");

        var fresh = await stack.CreateSessionAsync(); // the runner serves again
        Assert.Equal(SessionStatus.Ready, fresh.Status);
    }

    [Fact]
    public async Task RunnerStopped_CloseAndReapReturnWithinTheDeadline_ReconcileDestroysSandboxesLater()
    {
        // The runner stays "up" (long tolerance) but stalls: every destroy times out after 1 s.
        await using var stack = await LossStack.StartAsync(69_000_000,
            "--Cordon:Scheduling:DownAfterSeconds=600", "--Cordon:Scheduling:DestroySandboxTimeoutSeconds=1",
            "--Cordon:Scheduling:ReconcileIntervalSeconds=1", "--Cordon:Sessions:ReapIntervalSeconds=0.5");
        var closed = await stack.CreateSessionAsync();
        var idle = new List<Session>();
        for (var i = 0; i < 8; i++)
        {
            idle.Add(await stack.CreateSessionAsync("""{"language":"python","idleTimeoutSec":4}"""));
        }

        // Touch them all at once (a file listing is activity), so they fall idle together, whatever the creates took.
        await Task.WhenAll(idle.Select(s => stack.Client.GetAsync(new Uri($"/v1/sessions/{s.Id}/files?path=", UriKind.Relative), Ct)));

        stack.Runner.Signal("STOP");
        var watch = Stopwatch.StartNew();
        var delete = await stack.Client.DeleteAsync(new Uri($"/v1/sessions/{closed.Id}", UriKind.Relative), Ct);
        var deleteTook = watch.Elapsed;
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.True(deleteTook < TimeSpan.FromSeconds(5), $"DELETE took {deleteTook} with the runner stopped\n{stack.Diagnostics()}");

        // Eight idle sessions, each destroy hanging until its 1 s deadline: in parallel one round ends them all.
        var reaped = await stack.WaitSessionsAsync(idle, s => s.Status == SessionStatus.Ended, TimeSpan.FromSeconds(30));
        Assert.All(reaped, s => Assert.True(s.EndReason == SessionEndReason.IdleTimeout, $"{s.Id}: {s.Status} {s.EndReason}\n{stack.Diagnostics()}"));
        // How late each ended after its idle deadline: one at a time, the last would be 8 s late; in parallel each is
        // late by about one destroy deadline. Measured per session, so touches a loaded machine spread out do not count.
        var lateness = reaped.Max(s => s.EndedAt!.Value - s.LastActiveAt - TimeSpan.FromSeconds(4));
        Assert.True(lateness < TimeSpan.FromSeconds(4), $"a session ended {lateness} after its idle deadline (one at a time the last would be 8 s late)\n{stack.Diagnostics()}");
        Assert.Equal(9, (await stack.HostSandboxesAsync()).Count); // every destroy timed out

        stack.Runner.Signal("CONT");
        var left = await stack.WaitNoSandboxesAsync(TimeSpan.FromSeconds(30));
        Assert.True(left.Count == 0, $"sandboxes left after the runner resumed: {string.Join(", ", left)}\n{stack.Diagnostics()}");
        TestContext.Current.TestOutputHelper?.WriteLine($"DELETE with the runner stopped: {deleteTook.TotalMilliseconds:F0} ms; latest of 8 idle sessions ended {lateness.TotalMilliseconds:F0} ms after its deadline");
    }
}
