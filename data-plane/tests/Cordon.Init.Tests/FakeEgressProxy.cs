using System.Net.Sockets;

namespace Cordon.Init.Tests;

/// <summary>
/// A Unix stream socket server the test owns, standing where the runner's egress proxy would: every connection
/// the agent forwards is handed to the test's handler. Counts what reached it, so a test can tell a connection the
/// forwarder refused from one it passed on.
/// </summary>
internal sealed class FakeEgressProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _accepted;

    public FakeEgressProxy(string path, Func<Socket, CancellationToken, Task> handler)
    {
        Path = path;
        _handler = handler;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(512);
        _accepting = AcceptAsync();
    }

    public string Path { get; }

    /// <summary>Connections that reached the proxy so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Sends back everything it receives; passes the client's end of file on as its own.</summary>
    public static async Task EchoAsync(Socket connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) is var read and > 0)
        {
            await connection.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
        }

        connection.Shutdown(SocketShutdown.Send);
    }

    private async Task AcceptAsync()
    {
        var serving = new List<Task>();
        while (true)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }

            Interlocked.Increment(ref _accepted);
            serving.Add(ServeAsync(connection));
        }

        await Task.WhenAll(serving);
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                await _handler(connection, _stopping.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                // The forwarder or the test closed the connection: nothing left to serve.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stopping.Dispose();
        File.Delete(Path);
    }
}
