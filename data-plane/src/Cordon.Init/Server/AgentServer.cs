using System.Net.Sockets;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Server;

/// <summary>Accepts runner connections on the Unix socket; each carries one request and is served on its own.</summary>
internal sealed class AgentServer(string socketPath, RequestDispatcher dispatcher)
{
    private static readonly TimeSpan RequestReadTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AcceptBackoff = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        File.Delete(socketPath);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(128);
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken);
            }
            catch (SocketException e)
            {
                // EMFILE/ENFILE/ENOMEM while a job exhausts the sandbox: PID 1 must outlive it. The connection
                // stays in the backlog and is accepted once the job is gone.
                await Console.Error.WriteLineAsync($"cordon-init: accept failed ({e.SocketErrorCode}); retrying");
                await Task.Delay(AcceptBackoff, cancellationToken);
                continue;
            }

            _ = Task.Run(() => ServeAsync(socket), CancellationToken.None);
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
            await Console.Error.WriteLineAsync($"cordon-init: request failed: {e}");
            connection.Reply(new AgentError { Code = AgentErrorCodes.IoError, Message = "internal agent error" });
        }
    }
}
