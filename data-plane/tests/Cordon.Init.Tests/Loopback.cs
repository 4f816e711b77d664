using System.Net;
using System.Net.Sockets;

namespace Cordon.Init.Tests;

/// <summary>A client of the agent's egress port, as a program in the sandbox is one.</summary>
internal static class Loopback
{
    /// <summary>Long enough for a loaded machine; a forwarder that wedges fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<Socket> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Everything until the other side's end of file.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) is var read and > 0)
        {
            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }

    /// <summary>Exactly <paramref name="count"/> bytes.</summary>
    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        var buffer = new byte[count];
        for (var at = 0; at < count;)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(at), SocketFlags.None, timeout.Token);
            at += read > 0 ? read : throw new IOException($"end of file after {at} of {count} bytes");
        }

        return buffer;
    }

    /// <summary>Whether the forwarder closed the connection without a byte: end of file or a reset, within the patience.</summary>
    public static async Task<bool> IsClosedWithoutDataAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            return (await ReadToEndAsync(socket, cancellationToken)).Length == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>Whether one byte sent comes back: the connection reached an echoing proxy.</summary>
    public static async Task<bool> EchoesAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(port, cancellationToken);
        await socket.SendAsync(new byte[] { 42 }, SocketFlags.None, cancellationToken);
        try
        {
            return (await ReadExactlyAsync(socket, 1, cancellationToken))[0] == 42;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return false;
        }
    }
}
