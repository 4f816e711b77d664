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

    /// <summary>How long a cancelled call waits for the agent to say it has killed what the call started.</summary>
    private static readonly TimeSpan CancelPatience = TimeSpan.FromSeconds(5);

    public async Task<AgentReply> CallAsync(AgentRequest request, OutputHandler? onOutput, CancellationToken cancellationToken)
    {
        using var socket = await UnixSocketPath.ConnectAsync(socketPath, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        // Cancelling half-closes the connection, which the agent reads as a hang-up: it kills what the request
        // started and sweeps, and only then answers and closes. The call returns after that (or after
        // CancelPatience), so the caller's next request never starts while this one is still being cleaned up.
        using var patience = new CancellationTokenSource();
        await using var hangUp = cancellationToken.Register(() =>
        {
            HalfClose(socket);
            patience.CancelAfter(CancelPatience);
        });
        await using var cutOff = patience.Token.Register(() => socket.Dispose());
        try
        {
            await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(request, AgentJsonContext.Default.AgentRequest), cancellationToken);
            while (await AgentFrame.ReadAsync(stream, patience.Token) is { } frame)
            {
                if (frame.Kind == AgentFrameKind.Message)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return JsonSerializer.Deserialize(frame.Payload.Span, AgentJsonContext.Default.AgentReply)
                        ?? throw new AgentUnavailableException("the agent sent an empty reply");
                }

                if (onOutput is not null && !cancellationToken.IsCancellationRequested)
                {
                    await onOutput(frame.Kind, frame.Payload);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException)
        {
            throw new AgentUnavailableException($"the sandbox agent connection failed: {e.Message}");
        }

        throw new AgentUnavailableException("the sandbox agent closed the connection without a reply (the sandbox may have been destroyed)");
    }

    private static void HalfClose(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing to wait for.
        }
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
