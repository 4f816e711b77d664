using System.Net;
using System.Net.Sockets;

namespace Cordon.Init.Egress;

/// <summary>
/// Exposes the runner's egress proxy — a Unix socket bound into the sandbox, whose network namespace holds only
/// <c>lo</c> — as 127.0.0.1:port, where <c>HTTP_PROXY</c> points ordinary clients. Everything runs on the socket
/// engine and the pinned pool, never a thread of its own: under a fork bomb no thread can be made
/// (<see cref="Processes.ThreadPoolPin"/>). A job holding connections open costs at most
/// <see cref="MaxConnections"/> pairs of fds and buffers; past that, connections are closed as they come.
/// </summary>
internal sealed class EgressForwarder : IDisposable
{
    public const int MaxConnections = 256;

    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private static readonly TimeSpan AcceptBackoff = TimeSpan.FromMilliseconds(50);

    private readonly Socket _listener;
    private readonly UnixDomainSocketEndPoint _proxy;
    private readonly CancellationTokenSource _stopping = new();
    private int _active;

    private EgressForwarder(Socket listener, UnixDomainSocketEndPoint proxy)
    {
        _listener = listener;
        _proxy = proxy;
    }

    /// <summary>Listening and accepting, or null (one line on stderr) when the port cannot be had: the agent serves on without egress.</summary>
    public static EgressForwarder? Start(string proxySocket, int port)
    {
        Socket? listener = null;
        try
        {
            listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            // SO_REUSEADDR alone: Socket.ReuseAddress on Linux also sets SO_REUSEPORT, which would let another
            // socket of the same uid bind the port beside this one and take a share of the connections.
            listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(MaxConnections);
        }
        catch (SocketException e)
        {
            listener?.Dispose();
            EgressLog.Say($"cannot listen on 127.0.0.1:{port} ({e.SocketErrorCode}); the sandbox has no egress");
            return null;
        }

        var forwarder = new EgressForwarder(listener, new UnixDomainSocketEndPoint(proxySocket));
        // The first accept registers the listener with the socket engine now, while a thread for it can be made.
        _ = forwarder.AcceptLoopAsync(forwarder._stopping.Token);
        return forwarder;
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                Admit(await _listener.AcceptAsync(stopping), stopping);
                failing = false;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception e)
            {
                // EMFILE/ENFILE/ENOMEM while a job exhausts the sandbox: the connection stays queued and is taken
                // once fds or memory are free again. Said once per run of failures, not 20 times a second.
                if (!failing)
                {
                    failing = true;
                    EgressLog.Say($"accept failed ({(e as SocketException)?.SocketErrorCode.ToString() ?? e.GetType().Name}); retrying");
                }

                await BackOffAsync(stopping);
            }
        }
    }

    /// <summary>Forwards the connection, or closes it at once when <see cref="MaxConnections"/> are forwarded already.</summary>
    private void Admit(Socket client, CancellationToken stopping)
    {
        if (Interlocked.Increment(ref _active) > MaxConnections)
        {
            Interlocked.Decrement(ref _active);
            client.Dispose();
            return;
        }

        // Queued, not run inline: a connection whose bytes are all there already would hold up the accepts.
        _ = Task.Run(() => ForwardAsync(client, stopping), CancellationToken.None);
    }

    private async Task ForwardAsync(Socket client, CancellationToken stopping)
    {
        try
        {
            await EgressConnection.RunAsync(client, _proxy, stopping);
        }
        catch (Exception e)
        {
            // Never an unobserved fault: whatever a connection meets ends that connection only.
            client.Dispose();
            EgressLog.Say($"connection failed ({e.GetType().Name})");
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private static async Task BackOffAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(AcceptBackoff, stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends on its next check.
        }
    }

    /// <summary>Stops accepting and closes every forwarded connection.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Dispose();
        _stopping.Dispose();
    }
}
