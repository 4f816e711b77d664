using System.Net.Sockets;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Native;

namespace Cordon.Runner.Agent;

/// <summary>
/// Speaks the agent protocol to one sandbox's <c>cordon-init</c>: a connection per request; output frames go
/// to the caller as they arrive; cancelling closes the connection, which makes the agent kill what it started.
/// </summary>
internal sealed class AgentClient(string socketPath)
{
    public delegate ValueTask OutputHandler(AgentFrameKind stream, ReadOnlyMemory<byte> data);

    public async Task<AgentReply> CallAsync(AgentRequest request, OutputHandler? onOutput, CancellationToken cancellationToken)
    {
        using var socket = await UnixSocketPath.ConnectAsync(socketPath, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await using var hangUp = cancellationToken.Register(() => socket.Dispose());
        try
        {
            await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(request, AgentJsonContext.Default.AgentRequest), cancellationToken);
            while (await AgentFrame.ReadAsync(stream, cancellationToken) is { } frame)
            {
                if (frame.Kind == AgentFrameKind.Message)
                {
                    return JsonSerializer.Deserialize(frame.Payload.Span, AgentJsonContext.Default.AgentReply)
                        ?? throw new AgentUnavailableException("the agent sent an empty reply");
                }

                if (onOutput is not null)
                {
                    await onOutput(frame.Kind, frame.Payload);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException)
        {
            throw new AgentUnavailableException($"the sandbox agent connection failed: {e.Message}");
        }

        throw new AgentUnavailableException("the sandbox agent closed the connection without a reply (the sandbox may have been destroyed)");
    }

    /// <summary>Waits until the agent accepts connections (it binds its socket right after start).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var socket = await UnixSocketPath.ConnectAsync(socketPath, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(2, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new AgentUnavailableException($"the sandbox agent did not come up within {timeout.TotalSeconds:0}s ({e.SocketErrorCode})");
            }
        }
    }
}
