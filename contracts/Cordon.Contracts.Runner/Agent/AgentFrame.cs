using System.Buffers.Binary;

namespace Cordon.Contracts.Runner.Agent;

/// <summary>
/// One frame of the agent protocol: <c>[u32 big-endian length of what follows][u8 kind][payload]</c>.
/// A connection carries one request and its replies; closing it cancels whatever the request started.
/// </summary>
public readonly record struct AgentFrame(AgentFrameKind Kind, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The protocol version, reported by health and checked by the runner.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>The largest frame either side accepts (64 MiB: file writes carry whole files).</summary>
    public const int MaxPayloadBytes = 64 * 1024 * 1024;

    /// <summary>Writes one frame.</summary>
    public static async ValueTask WriteAsync(Stream stream, AgentFrameKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new InvalidDataException($"Agent frame of {payload.Length} bytes exceeds the {MaxPayloadBytes}-byte limit.");
        }

        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(payload.Length + 1));
        header[4] = (byte)kind;
        await stream.WriteAsync(header, cancellationToken);
        if (!payload.IsEmpty)
        {
            await stream.WriteAsync(payload, cancellationToken);
        }

        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The largest stdout/stderr frame the agent sends (it reads a program's output 64 KiB at a time).</summary>
    public const int MaxOutputPayloadBytes = 64 * 1024;

    /// <summary>Reads one frame; null at a clean end of stream.</summary>
    public static ValueTask<AgentFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        ReadAsync(stream, _ => MaxPayloadBytes, cancellationToken);

    /// <summary>
    /// Reads one frame whose payload may be at most <paramref name="maxPayloadBytes"/> for its kind (negative: the
    /// kind is not allowed); the length is checked before anything is allocated. Null at a clean end of stream.
    /// </summary>
    public static async ValueTask<AgentFrame?> ReadAsync(Stream stream, Func<AgentFrameKind, int> maxPayloadBytes, CancellationToken cancellationToken)
    {
        var header = new byte[5];
        var read = await ReadFullyAsync(stream, header, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < header.Length)
        {
            throw new EndOfStreamException("Agent connection closed inside a frame header.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        var kind = (AgentFrameKind)header[4];
        var max = Math.Min(maxPayloadBytes(kind), MaxPayloadBytes);
        if (max < 0)
        {
            throw new InvalidDataException($"Agent frame kind {header[4]} is not allowed here.");
        }

        if (length < 1 || length - 1 > (uint)max)
        {
            throw new InvalidDataException($"Agent frame length {length} is out of range (at most {max} bytes for {kind}).");
        }

        var payload = new byte[length - 1];
        if (await ReadFullyAsync(stream, payload, cancellationToken) < payload.Length)
        {
            throw new EndOfStreamException("Agent connection closed inside a frame.");
        }

        return new AgentFrame(kind, payload);
    }

    private static async ValueTask<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[total..], cancellationToken);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
