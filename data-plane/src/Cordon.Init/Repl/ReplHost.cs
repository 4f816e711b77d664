using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Processes;
using Cordon.Init.Server;

namespace Cordon.Init.Repl;

/// <summary>
/// Keeps one persistent interpreter per driver command line and runs code in it, one request at a time. A
/// timeout, an output overflow or a hang-up kills the interpreter (its state is lost; the next request starts
/// a fresh one).
/// </summary>
internal sealed class ReplHost(ProcessSpawner spawner, StragglerKiller killer, string workspace)
{
    private const int DrainGraceMs = 1000;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (SemaphoreSlim Gate, ReplProcess? Process)> _drivers = [];

    public async Task<AgentReply> RunAsync(AgentRepl request, AgentConnection connection)
    {
        var key = string.Join('\0', request.Argv);
        SemaphoreSlim gate;
        lock (_lock)
        {
            if (!_drivers.TryGetValue(key, out var entry))
            {
                entry = (new SemaphoreSlim(1, 1), null);
                _drivers[key] = entry;
            }

            gate = entry.Gate;
        }

        await gate.WaitAsync();
        try
        {
            return await BlockingWorkers.Run(() => Run(key, request, connection));
        }
        finally
        {
            gate.Release();
        }
    }

    private AgentReply Run(string key, AgentRepl request, AgentConnection connection)
    {
        var startedAt = DateTimeOffset.UtcNow;
        ReplProcess repl;
        try
        {
            repl = Current(key) is { HasExited: false } running ? running : Start(key, request);
        }
        catch (SpawnException e)
        {
            return new AgentError { Code = AgentErrorCodes.SpawnFailed, Message = e.Message };
        }

        var pump = new OutputPump(connection, repl.Process.StdoutFd, repl.Process.StderrFd, request.OutputBytes, request.TimeoutMs);
        using (killer.ActiveSession(repl.Process.Pid))
        {
            if (FdWriter.WriteAll(repl.RequestFd, ReplRequestLine.Encode(request.Code, request.Stdin)))
            {
                pump.Run(repl.Process.Exited, repl.CompletionFd);
            }
        }

        int? exitCode = null;
        string? signal = null;
        if (pump.Outcome.Completion is { Length: > 0 } completion && !pump.Outcome.MustKill)
        {
            pump.DrainAvailable();
            exitCode = ReplRequestLine.IsOk(completion) ? 0 : 1;
        }
        else
        {
            StragglerKiller.KillGroup(repl.Process.Pid);
            var status = repl.Process.Exited.Wait(TimeSpan.FromSeconds(5)) ? repl.Process.Exited.Result : 0;
            pump.DrainToEnd(DrainGraceMs);
            exitCode = pump.Outcome.MustKill ? null : WaitStatus.ExitCode(status);
            signal = WaitStatus.SignalName(status);
            Forget(key, repl);
        }

        killer.KillStragglers();
        var outcome = pump.Outcome;
        return new AgentExit
        {
            ExitCode = exitCode,
            Signal = signal,
            TimedOut = outcome.TimedOut,
            OutputLimited = outcome.OutputLimited,
            StdoutTruncated = outcome.StdoutTruncated,
            StderrTruncated = outcome.StderrTruncated,
            StartedAtUnixMs = startedAt.ToUnixTimeMilliseconds(),
            DurationMs = (long)(DateTimeOffset.UtcNow - startedAt).TotalMilliseconds,
        };
    }

    private ReplProcess? Current(string key)
    {
        lock (_lock)
        {
            return _drivers[key].Process;
        }
    }

    private ReplProcess Start(string key, AgentRepl request)
    {
        if (Current(key) is { } dead)
        {
            Forget(key, dead);
        }

        // Spawned and protected in one step under the sweep lock: a sweep in between would kill the new driver.
        var process = killer.StartProtected(() => spawner.Spawn(request.Argv, request.Env, workspace, extraChildFds: 2));
        Pipe.Close(process.StdinFd); // code arrives on fd 3; the program's own stdin is per request (sys.stdin)
        var repl = new ReplProcess(process with { StdinFd = -1 });
        lock (_lock)
        {
            _drivers[key] = (_drivers[key].Gate, repl);
        }

        return repl;
    }

    private void Forget(string key, ReplProcess repl)
    {
        killer.UnprotectPid(repl.Process.Pid);
        repl.Process.CloseAll();
        lock (_lock)
        {
            _drivers[key] = (_drivers[key].Gate, null);
        }
    }
}
