using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Server;

namespace Cordon.Init.Processes;

/// <summary>Runs one <see cref="AgentSpawn"/>: start, stream, enforce limits, kill what is left, report the exit.</summary>
internal sealed class SpawnRunner(ProcessSpawner spawner, StragglerKiller killer, string workspace)
{
    private const int DrainGraceMs = 2000;
    private static readonly TimeSpan ExitPatience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StdinPatience = TimeSpan.FromSeconds(5);

    public async Task<AgentReply> RunAsync(AgentSpawn request, AgentConnection connection)
    {
        var startedAt = DateTimeOffset.UtcNow;
        SpawnedProcess process;
        IDisposable lease;
        try
        {
            // Spawn and registration are one step under the sweep lock (see StragglerKiller).
            (process, lease) = killer.StartActive(() => spawner.Spawn(request.Argv, request.Env, string.IsNullOrEmpty(request.Cwd) ? workspace : request.Cwd));
        }
        catch (SpawnException e)
        {
            return new AgentError { Code = AgentErrorCodes.SpawnFailed, Message = e.Message };
        }

        Task stdinWriter = Task.CompletedTask;
        try
        {
            var stdinFd = process.StdinFd;
            var stdin = request.Stdin ?? [];
            stdinWriter = BlockingWorkers.Run(() =>
            {
                FdWriter.WriteAll(stdinFd, stdin);
                Pipe.Close(stdinFd);
            });
            var pump = new OutputPump(connection, process.StdoutFd, process.StderrFd, request.OutputBytes, request.TimeoutMs);
            await BlockingWorkers.Run(() =>
            {
                try
                {
                    pump.Run(process.Exited);
                }
                finally
                {
                    killer.EndRequest(lease, process.Pid);
                }

                pump.DrainToEnd(DrainGraceMs);
            });

            var exited = await Task.WhenAny(process.Exited, Task.Delay(ExitPatience));
            // Every writer of stdin's read end is dead by now, so the writer has finished (EPIPE at worst).
            await Task.WhenAny(stdinWriter, Task.Delay(StdinPatience));
            var outcome = pump.Outcome;
            // No status 10 s after its group was SIGKILLed (stuck in the kernel): report the kill it got.
            var status = exited == process.Exited ? process.Exited.Result : (int?)null;
            return new AgentExit
            {
                ExitCode = status is { } s ? WaitStatus.ExitCode(s) : null,
                Signal = status is { } t ? WaitStatus.SignalName(t) : "SIGKILL",
                TimedOut = outcome.TimedOut,
                OutputLimited = outcome.OutputLimited,
                StdoutTruncated = outcome.StdoutTruncated,
                StderrTruncated = outcome.StderrTruncated,
                StartedAtUnixMs = startedAt.ToUnixTimeMilliseconds(),
                DurationMs = (long)(DateTimeOffset.UtcNow - startedAt).TotalMilliseconds,
            };
        }
        finally
        {
            // stdin's write end belongs to the writer, which closes it when it returns.
            lease.Dispose();
            Pipe.Close(process.StdoutFd);
            Pipe.Close(process.StderrFd);
        }
    }
}
