using System.Buffers;
using System.Net.Sockets;

namespace Cordon.Init.Egress;

/// <summary>
/// One client connection forwarded to the proxy's Unix socket: bytes copied both ways, each end of file passed on
/// as a half-close (HTTP clients and CONNECT tunnels rely on it), both sockets closed once both ways are done or
/// as soon as either side fails. A failed connect to the proxy closes the client: the proxy answers in HTTP, the
/// forwarder has no way to.
/// </summary>
internal sealed class EgressConnection(Socket client, Socket proxy)
{
    /// <summary>Per direction: two per connection, so <see cref="EgressForwarder.MaxConnections"/> bound the agent's share.</summary>
    public const int BufferSize = 16 * 1024;

    /// <summary>Reads and writes that find their socket ready complete inline; yielding now and then keeps a busy connection from holding a pinned pool thread.</summary>
    private const int CopiesBeforeYield = 64;

    private static readonly ArrayPool<byte> Buffers = ArrayPool<byte>.Create(BufferSize, EgressForwarder.MaxConnections * 2);

    public static async Task RunAsync(Socket client, UnixDomainSocketEndPoint proxyEndPoint, CancellationToken stopping)
    {
        using (client)
        {
            using var proxy = await ConnectAsync(client, proxyEndPoint, stopping);
            if (proxy is not null)
            {
                await new EgressConnection(client, proxy).CopyBothWaysAsync(stopping);
            }
        }
    }

    /// <summary>The proxy's socket, or null: no proxy (yet), its backlog full, or no fd left — the client is closed.</summary>
    private static async Task<Socket?> ConnectAsync(Socket client, UnixDomainSocketEndPoint proxyEndPoint, CancellationToken stopping)
    {
        Socket? proxy = null;
        try
        {
            client.NoDelay = true;
            proxy = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await proxy.ConnectAsync(proxyEndPoint, stopping);
            return proxy;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            proxy?.Dispose();
            return null;
        }
    }

    private async Task CopyBothWaysAsync(CancellationToken stopping)
    {
        using var closeOnStop = stopping.Register(Abort);
        // Each way on its own pool item: a way whose reads keep completing at once would not let the other start.
        await Task.WhenAll(Task.Run(() => CopyAsync(client, proxy)), Task.Run(() => CopyAsync(proxy, client)));
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = Buffers.Rent(BufferSize);
        try
        {
            var copies = 0;
            while (true)
            {
                if (++copies == CopiesBeforeYield)
                {
                    copies = 0;
                    await Task.Yield();
                }

                var read = await from.ReceiveAsync(buffer.AsMemory(0, BufferSize), SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A reset, a write to a closed peer, or the other direction's abort: end the connection both ways.
            Abort();
        }
        finally
        {
            Buffers.Return(buffer);
        }
    }

    /// <summary>Closing both sockets fails the other direction's pending receive or send, which then ends too.</summary>
    private void Abort()
    {
        client.Dispose();
        proxy.Dispose();
    }
}
