using System.Net.Sockets;
using System.Text;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>A sandbox's side of the proxy socket: raw bytes in, raw bytes and parsed replies out.</summary>
internal sealed class ProxyClient(Socket socket) : IDisposable
{
    public static async Task<ProxyClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        return new ProxyClient(socket);
    }

    public Socket Socket => socket;

    public async Task SendAsync(string text, CancellationToken cancellationToken) =>
        await SendAsync(Encoding.Latin1.GetBytes(text), cancellationToken);

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellationToken);
        }
    }

    /// <summary>Reads up to and including the blank line that ends a response head.</summary>
    public async Task<string> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!head.AsEnumerable().Reverse().Take(4).SequenceEqual("\n\r\n\r"u8.ToArray()))
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, cancellationToken) == 0)
            {
                throw new IOException($"the proxy closed before a whole head: '{Encoding.Latin1.GetString([.. head])}'");
            }

            head.Add(one[0]);
        }

        return Encoding.Latin1.GetString([.. head]);
    }

    public async Task<string> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new IOException($"the proxy closed after {read} of {count} bytes");
            }

            read += n;
        }

        return Encoding.Latin1.GetString(buffer);
    }

    /// <summary>Everything until the proxy closes; a reset counts as the end too.</summary>
    public async Task<string> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                all.Write(buffer, 0, n);
            }
        }
        catch (SocketException)
        {
        }

        return Encoding.Latin1.GetString(all.ToArray());
    }

    /// <summary>Sends <paramref name="request"/> and parses the whole reply the proxy answers and closes with.</summary>
    public async Task<ProxyReply> ExchangeAsync(string request, CancellationToken cancellationToken)
    {
        await SendAsync(request, cancellationToken);
        var reply = ProxyReply.Parse(await ReadToEndAsync(cancellationToken));
        // As a client of a Connection: close answer does: the proxy, draining, sees the end at once.
        socket.Shutdown(SocketShutdown.Send);
        return reply;
    }

    public void Dispose() => socket.Dispose();
}
