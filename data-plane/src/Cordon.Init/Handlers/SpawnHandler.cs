using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Processes;
using Cordon.Init.Server;

namespace Cordon.Init.Handlers;

/// <summary>
/// Runs one program to its end: stdin in, output streamed, wall-clock and output limits enforced, and whatever it
/// left behind killed before the reply.
/// </summary>
internal sealed class SpawnHandler(ProcessSpawner spawner, ProcessReaper reaper, LiveSessions live, TimeProvider time)
{
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    public async Task<AgentReply> HandleAsync(AgentSpawn request, ReplyChannel channel, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        using var process = spawner.Start(new SpawnOptions(request.Argv, request.Env, request.Cwd, ReplFds: false));
        using var stop = new CancellationTokenSource();
        var budget = new OutputBudget(request.OutputBytes);
        var stdout = OutputPump.RunAsync(process.Stdout, AgentFrameKind.Stdout, channel, budget, stop.Token);
        var stderr = OutputPump.RunAsync(process.Stderr, AgentFrameKind.Stderr, channel, budget, stop.Token);
        var stdin = StdinWriter.WriteAndCloseAsync(process.Stdin, request.Stdin, stop.Token);

        var timeout = Deadline.Start(request.TimeoutMs, time, stop.Token);
        var cancelled = Deadline.WhenCancelled(cancellationToken);
        var first = await Task.WhenAny(process.Exit, timeout, budget.Reached, cancelled);
        var duration = time.GetElapsedTime(started);

        ProcessReaper.KillGroup(process.Pid);
        live.RemoveSession(process.Pid);
        await reaper.KillStragglersAsync(CancellationToken.None);
        var status = await process.Exit;

        // Every writer is dead now, so the pumps reach end of file; the grace only guards against the unexpected.
        stop.CancelAfter(DrainGrace);
        await Task.WhenAll(stdout, stderr, stdin);

        var (exitCode, signal) = ExitStatus.Decode(status);
        return new AgentExit
        {
            ExitCode = exitCode,
            Signal = signal,
            TimedOut = first == timeout,
            OutputLimited = budget.Limited,
            StdoutTruncated = budget.StdoutTruncated,
            StderrTruncated = budget.StderrTruncated,
            StartedAtUnixMs = startedAt.ToUnixTimeMilliseconds(),
            DurationMs = (long)duration.TotalMilliseconds,
        };
    }
}
