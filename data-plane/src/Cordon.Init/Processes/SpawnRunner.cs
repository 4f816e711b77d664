using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Server;

namespace Cordon.Init.Processes;

/// <summary>Runs one <see cref="AgentSpawn"/>: start, stream, enforce limits, kill what is left, report the exit.</summary>
internal sealed class SpawnRunner(ProcessSpawner spawner, StragglerKiller killer, string workspace)
{
    private const int DrainGraceMs = 2000;

    public async Task<AgentReply> RunAsync(AgentSpawn request, AgentConnection connection)
    {
        var startedAt = DateTimeOffset.UtcNow;
        SpawnedProcess process;
        try
        {
            process = spawner.Spawn(request.Argv, request.Env, string.IsNullOrEmpty(request.Cwd) ? workspace : request.Cwd);
        }
        catch (SpawnException e)
        {
            return new AgentError { Code = AgentErrorCodes.SpawnFailed, Message = e.Message };
        }

        var lease = killer.ActiveSession(process.Pid);
        var stdinFd = process.StdinFd;
        var stdin = request.Stdin ?? [];
        var stdinWriter = Task.Factory.StartNew(() => FdWriter.WriteAll(stdinFd, stdin), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .ContinueWith(_ => Pipe.Close(stdinFd), TaskScheduler.Default);
        var pump = new OutputPump(connection, process.StdoutFd, process.StderrFd, request.OutputBytes, request.TimeoutMs);

        await Task.Factory.StartNew(() =>
        {
            pump.Run(process.Exited);
            if (pump.Outcome.MustKill)
            {
                StragglerKiller.KillGroup(process.Pid);
            }

            lease.Dispose();
            killer.KillStragglers();
            pump.DrainToEnd(DrainGraceMs);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var status = await process.Exited.WaitAsync(TimeSpan.FromSeconds(10));
        await stdinWriter;
        Pipe.Close(process.StdoutFd);
        Pipe.Close(process.StderrFd);
        var outcome = pump.Outcome;
        return new AgentExit
        {
            ExitCode = WaitStatus.ExitCode(status),
            Signal = WaitStatus.SignalName(status),
            TimedOut = outcome.TimedOut,
            OutputLimited = outcome.OutputLimited,
            StdoutTruncated = outcome.StdoutTruncated,
            StderrTruncated = outcome.StderrTruncated,
            StartedAtUnixMs = startedAt.ToUnixTimeMilliseconds(),
            DurationMs = (long)(DateTimeOffset.UtcNow - startedAt).TotalMilliseconds,
        };
    }
}
