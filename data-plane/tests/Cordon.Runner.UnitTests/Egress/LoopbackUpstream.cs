using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>
/// A real TCP server on 127.0.0.1 standing in for a host on the internet: it echoes (for tunnels), or reads one
/// request head, keeps it, and answers <c>200 ok</c> (for plain HTTP). Counts what it accepted.
/// </summary>
internal sealed class LoopbackUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly Task _serving;
    private int _connections;

    private LoopbackUpstream(bool http)
    {
        _listener.Start();
        _serving = ServeAsync(http);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The request heads the HTTP server received, in order.</summary>
    public ConcurrentQueue<string> Heads { get; } = new();

    public static LoopbackUpstream Echo() => new(http: false);

    public static LoopbackUpstream Http() => new(http: true);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _accepted)
        {
            socket.Dispose();
        }

        await _serving;
        _stop.Dispose();
    }

    private async Task ServeAsync(bool http)
    {
        var handlers = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _accepted.Add(socket);
                handlers.Add(http ? AnswerAsync(socket) : EchoAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(handlers);
    }

    private async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        try
        {
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal)
                && await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
            {
                head.Append((char)buffer[0]);
            }

            Heads.Enqueue(head.ToString());
            await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), SocketFlags.None, _stop.Token);
            socket.Shutdown(SocketShutdown.Both);
            socket.Dispose();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
