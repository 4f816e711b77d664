using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Server;

/// <summary>One runner connection: the request it carried, and a thread-safe writer for reply frames.</summary>
internal sealed class AgentConnection(Socket socket) : IDisposable
{
    private readonly Lock _sendLock = new();

    /// <summary>The socket's fd, polled to notice the runner hanging up (which cancels the request).</summary>
    public int Fd => (int)socket.Handle;

    public async Task<AgentRequest?> ReadRequestAsync(CancellationToken cancellationToken)
    {
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var frame = await AgentFrame.ReadAsync(stream, cancellationToken);
        if (frame is not { Kind: AgentFrameKind.Message } message)
        {
            throw new InvalidDataException("the first frame must be a JSON request");
        }

        return JsonSerializer.Deserialize(message.Payload.Span, AgentJsonContext.Default.AgentRequest);
    }

    /// <summary>Sends a frame; false when the runner is gone.</summary>
    public bool Send(AgentFrameKind kind, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(payload.Length + 1));
        header[4] = (byte)kind;
        lock (_sendLock)
        {
            try
            {
                SendAll(header);
                SendAll(payload);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public bool Reply(AgentReply reply) =>
        Send(AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(reply, AgentJsonContext.Default.AgentReply));

    public void Dispose() => socket.Dispose();

    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data)..];
        }
    }
}
