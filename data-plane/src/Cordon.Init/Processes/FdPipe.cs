using System.Net.Sockets;

namespace Cordon.Init.Processes;

/// <summary>
/// The agent's end of a pipe. Wrapping the fd in a <see cref="Socket"/> gives epoll-driven reads and writes that
/// honour cancellation without losing bytes (the runtime does the same for its own pipes).
/// </summary>
internal sealed class FdPipe(int fd) : IDisposable
{
    private readonly Socket _socket = new(new SafeSocketHandle(fd, ownsHandle: true));

    public int Fd { get; } = fd;

    /// <summary>Bytes waiting in the pipe (FIONREAD).</summary>
    public int Available
    {
        get
        {
            try
            {
                return _socket.Available;
            }
            catch (SocketException)
            {
                return 0;
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
        }
    }

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var written = await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken);
            buffer = buffer[written..];
        }
    }

    public void Dispose() => _socket.Dispose();
}
