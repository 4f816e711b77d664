using System.Net.Sockets;
using Cordon.Init.Handlers;

namespace Cordon.Init.Server;

/// <summary>Listens on the agent socket and serves every connection concurrently and independently.</summary>
internal sealed class AgentServer(AgentOptions options, RequestDispatcher dispatcher)
{
    public async Task RunAsync(CancellationToken shutdown)
    {
        var directory = Path.GetDirectoryName(options.SocketPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.Delete(options.SocketPath);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(options.SocketPath));
        listener.Listen(128);
        Console.Error.WriteLine($"cordon-init: listening on {options.SocketPath}, workspace {options.Workspace}");

        while (!shutdown.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(shutdown);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e)
            {
                Console.Error.WriteLine($"cordon-init: accept failed: {e.Message}");
                await Task.Delay(10, shutdown);
                continue;
            }

            _ = ServeAsync(client, shutdown);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken shutdown)
    {
        try
        {
            await Task.Yield();
            await new AgentConnection(client, dispatcher).ServeAsync(shutdown);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"cordon-init: connection failed: {e}");
        }
    }
}
