using System.Net.Sockets;
using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Native;

namespace Cordon.Init.Server;

/// <summary>
/// Serves the runner's connections as they come over the <see cref="ControlChannel"/>; each carries one request
/// and is served on its own. Ends when the runner closes the channel: a sandbox nobody can reach again stops.
/// </summary>
internal sealed class AgentServer(ControlChannel channel, RequestDispatcher dispatcher, int jobUid)
{
    private static readonly TimeSpan RequestReadTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AcceptBackoff = TimeSpan.FromMilliseconds(50);

    public Task RunAsync()
    {
        if (PeerCheck.Refusal(channel.Fd, jobUid) is { } refusal)
        {
            throw new IOException($"refusing the control channel: {refusal}");
        }

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Its own thread, made at start: receiving blocks, and a fork bomb may later leave no pid for a new one.
        new Thread(() =>
        {
            try
            {
                Receive();
                ended.SetResult();
            }
            catch (Exception e)
            {
                ended.SetException(e);
            }
        })
        { IsBackground = true, Name = "control" }.Start();
        return ended.Task;
    }

    private void Receive()
    {
        while (ReceiveOne() is var fd and >= 0)
        {
            if (PeerCheck.Refusal(fd, jobUid) is { } refusal)
            {
                StderrLine.Write($"connection refused: {refusal}");
                Native.Libc.close(fd);
                continue;
            }

            Socket socket;
            try
            {
                socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            }
            catch (SocketException e)
            {
                // ENOMEM/ENOBUFS while a job exhausts the sandbox: drop this connection (the runner sees it closed
                // without a reply), PID 1 keeps serving.
                StderrLine.Write($"connection unusable ({e.SocketErrorCode}); dropped");
                Native.Libc.close(fd);
                continue;
            }

            _ = Task.Run(() => ServeAsync(socket), CancellationToken.None);
        }
    }

    /// <summary>The next connection's fd (-1: the runner closed the channel), retrying what a job's exhaustion causes.</summary>
    private int ReceiveOne()
    {
        while (true)
        {
            try
            {
                return channel.Receive();
            }
            catch (ControlChannelBusyException e)
            {
                // ENOMEM/ENOBUFS/EMFILE/ENFILE while a job exhausts the sandbox: PID 1 must outlive it. The
                // connection stays queued on the channel and is received once the job is gone.
                StderrLine.Write($"receive failed ({e.Message}); retrying");
                Thread.Sleep(AcceptBackoff);
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var connection = new AgentConnection(socket);
        try
        {
            AgentRequest? request;
            using (var timeout = new CancellationTokenSource(RequestReadTimeout))
            {
                request = await connection.ReadRequestAsync(timeout.Token);
            }

            if (request is not null)
            {
                connection.Reply(await dispatcher.HandleAsync(request, connection));
            }
        }
        catch (BadAgentRequestException e)
        {
            connection.Reply(new AgentError { Code = AgentErrorCodes.BadRequest, Message = e.Message });
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The runner went away or never sent a request: nothing to answer.
        }
        catch (Exception e)
        {
            StderrLine.Write($"request failed: {e}");
            connection.Reply(new AgentError { Code = AgentErrorCodes.IoError, Message = "internal agent error" });
        }
    }
}
