using System.Net.Sockets;
using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Processes;
using Cordon.Init.Repl;
using Cordon.Init.Server;

namespace Cordon.Init.Handlers;

/// <summary>
/// Runs code in a persistent interpreter. A completed run keeps the interpreter; a timeout, output limit, hang-up
/// or crash kills it, so the next request starts a fresh one.
/// </summary>
internal sealed class ReplHandler(ReplHost host, ProcessReaper reaper, LiveSessions live, TimeProvider time)
{
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    public async Task<AgentReply> HandleAsync(AgentRepl request, ReplyChannel channel, CancellationToken cancellationToken)
    {
        if (request.Argv is not { Count: > 0 })
        {
            return new AgentError { Code = AgentErrorCodes.BadRequest, Message = "Argv must name the REPL driver." };
        }

        var slot = host.For(request.Argv);
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            return await RunAsync(slot, request, channel, cancellationToken);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task<AgentReply> RunAsync(ReplHost.Slot slot, AgentRepl request, ReplyChannel channel, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var driver = host.Ensure(slot, request.Argv, request.Env);
        live.AddSession(driver.Pid);
        await driver.DiscardPendingOutputAsync(cancellationToken);

        using var stop = new CancellationTokenSource();
        var budget = new OutputBudget(request.OutputBytes);
        var stdout = OutputPump.RunAsync(driver.Process.Stdout, AgentFrameKind.Stdout, channel, budget, stop.Token);
        var stderr = OutputPump.RunAsync(driver.Process.Stderr, AgentFrameKind.Stderr, channel, budget, stop.Token);
        var completion = SendAndWaitAsync(driver, request, stop.Token);
        var timeout = Deadline.Start(request.TimeoutMs, time, stop.Token);
        var first = await Task.WhenAny(completion, driver.Process.Exit, timeout, budget.Reached, Deadline.WhenCancelled(cancellationToken));
        var duration = time.GetElapsedTime(started);

        if (first == completion && completion.Result is { } ok && !budget.Limited)
        {
            await stop.CancelAsync();
            await Task.WhenAll(stdout, stderr);
            await OutputPump.DrainAvailableAsync(driver.Process.Stdout, AgentFrameKind.Stdout, channel, budget, CancellationToken.None);
            await OutputPump.DrainAvailableAsync(driver.Process.Stderr, AgentFrameKind.Stderr, channel, budget, CancellationToken.None);
            live.RemoveSession(driver.Pid);
            await reaper.KillStragglersAsync(CancellationToken.None);
            return Exit(ok ? 0 : 1, null, timedOut: false, budget, startedAt, duration);
        }

        // Anything else ends this interpreter: its state is lost and the next request starts a fresh one.
        ProcessReaper.KillGroup(driver.Pid);
        live.RemoveSession(driver.Pid);
        live.RemoveDriver(driver.Pid);
        await reaper.KillStragglersAsync(CancellationToken.None);
        var status = await driver.Process.Exit;
        stop.CancelAfter(DrainGrace);
        await Task.WhenAll(stdout, stderr);
        await stop.CancelAsync();
        slot.Driver = null;
        driver.Dispose();

        var (exitCode, signal) = ExitStatus.Decode(status);
        return Exit(exitCode, signal, first == timeout, budget, startedAt, duration);
    }

    /// <summary>The completion of this request; null when the driver went away before reporting one.</summary>
    private static async Task<bool?> SendAndWaitAsync(ReplDriver driver, AgentRepl request, CancellationToken cancellationToken)
    {
        try
        {
            await driver.SendAsync(request.Code, request.Stdin, cancellationToken);
            return await driver.ReadCompletionAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // Whatever went wrong talking to the driver, the answer is the same: it is killed and replaced.
            if (e is not (SocketException or IOException or OperationCanceledException or ObjectDisposedException))
            {
                Console.Error.WriteLine($"cordon-init: REPL driver {driver.Pid}: {e.Message}");
            }

            return null;
        }
    }

    private static AgentExit Exit(int? exitCode, string? signal, bool timedOut, OutputBudget budget, DateTimeOffset startedAt, TimeSpan duration) => new()
    {
        ExitCode = exitCode,
        Signal = signal,
        TimedOut = timedOut,
        OutputLimited = budget.Limited,
        StdoutTruncated = budget.StdoutTruncated,
        StderrTruncated = budget.StderrTruncated,
        StartedAtUnixMs = startedAt.ToUnixTimeMilliseconds(),
        DurationMs = (long)duration.TotalMilliseconds,
    };
}
