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

    /// <summary>
    /// Reads and checks the request; null when the runner closed without sending one (a readiness probe).
    /// Anything malformed is a <see cref="BadAgentRequestException"/> saying what, never a crash.
    /// </summary>
    public async Task<AgentRequest?> ReadRequestAsync(CancellationToken cancellationToken)
    {
        using var stream = new NetworkStream(socket, ownsSocket: false);
        AgentFrame? frame;
        try
        {
            frame = await AgentFrame.ReadAsync(stream, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new BadAgentRequestException(e.Message);
        }

        if (frame is not { } message)
        {
            return null;
        }

        if (message.Kind != AgentFrameKind.Message)
        {
            throw new BadAgentRequestException($"the first frame must be a JSON request (kind {(byte)AgentFrameKind.Message}), not kind {(byte)message.Kind}");
        }

        var request = RequestJson.Parse(message.Payload.Span);
        return RequestValidation.Problem(request) is { } problem ? throw new BadAgentRequestException(problem) : request;
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
