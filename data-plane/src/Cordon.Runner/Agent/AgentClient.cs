using System.Net.Sockets;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Execution;

namespace Cordon.Runner.Agent;

/// <summary>
/// Speaks the agent protocol to one sandbox's <c>cordon-init</c>: a connection per request (over the sandbox's
/// <see cref="AgentChannel"/>); output frames go to the caller as they arrive; cancelling closes the connection,
/// which makes the agent kill what it started. The agent runs next to the job, so nothing it says is trusted:
/// every call has a deadline, every frame a size limit for its kind and request, output counts against the
/// request's limit here too, and a reply must be the type the request asks for (<see cref="AgentLimits"/>).
/// </summary>
internal sealed class AgentClient(AgentChannel channel)
{
    public delegate ValueTask OutputHandler(AgentFrameKind stream, ReadOnlyMemory<byte> data);

    /// <summary>How long a cancelled call waits for the agent to say it has killed what the call started.</summary>
    private static readonly TimeSpan CancelPatience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends <paramref name="request"/> and returns its reply as <typeparamref name="TReply"/>; an agent error
    /// becomes <see cref="AgentRequestException"/>, anything else (no answer by <paramref name="deadline"/>, a
    /// broken connection, a broken promise) <see cref="AgentUnavailableException"/>.
    /// </summary>
    public async Task<TReply> CallAsync<TReply>(AgentRequest request, OutputHandler? onOutput, TimeSpan deadline, CancellationToken cancellationToken)
        where TReply : AgentReply
    {
        var reply = await SendAsync(request, onOutput, deadline, cancellationToken);
        return reply switch
        {
            TReply typed => AgentLimits.CheckReply(request, typed),
            AgentError error => throw new AgentRequestException(error.Code, error.Message),
            _ => throw AgentLimits.Violation($"answered a {request.GetType().Name} with {reply.GetType().Name}"),
        };
    }

    /// <summary>Waits for the agent's health answer (it serves as soon as it has started) and checks its protocol.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var health = await CallAsync<AgentHealth>(new AgentHealthQuery(), null, timeout, cancellationToken);
        if (health.ProtocolVersion != AgentFrame.ProtocolVersion)
        {
            throw new AgentUnavailableException($"the sandbox agent speaks protocol {health.ProtocolVersion}, the runner {AgentFrame.ProtocolVersion}");
        }
    }

    private async Task<AgentReply> SendAsync(AgentRequest request, OutputHandler? onOutput, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(deadline);
        var token = timer.Token;
        Socket socket;
        try
        {
            socket = channel.Connect();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new AgentUnavailableException($"the sandbox agent cannot be reached (the sandbox may have been destroyed): {e.Message}");
        }

        using var owned = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        // Cancelling half-closes the connection, which the agent reads as a hang-up: it kills what the request
        // started and sweeps, and only then answers and closes. The call returns after that (or after
        // CancelPatience), so the caller's next request never starts while this one is still being cleaned up.
        // A passed deadline cuts the connection at once: an agent that does not answer is not waited for.
        using var patience = new CancellationTokenSource();
        await using var hangUp = cancellationToken.Register(() =>
        {
            HalfClose(socket);
            patience.CancelAfter(CancelPatience);
        });
        await using var deadlinePassed = token.Register(() =>
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                patience.Cancel();
            }
        });
        await using var cutOff = patience.Token.Register(() => socket.Dispose());
        var outputBudget = AgentLimits.OutputBudget(request);
        var maxReply = AgentLimits.MaxReplyBytes(request);
        try
        {
            await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(request, AgentJsonContext.Default.AgentRequest), token);
            while (await AgentFrame.ReadAsync(stream, kind => AgentLimits.MaxFrameBytes(kind, maxReply, outputBudget), patience.Token) is { } frame)
            {
                if (frame.Kind == AgentFrameKind.Message)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return JsonSerializer.Deserialize(frame.Payload.Span, AgentJsonContext.Default.AgentReply)
                        ?? throw AgentLimits.Violation("sent an empty reply");
                }

                outputBudget -= frame.Payload.Length;
                if (outputBudget < 0)
                {
                    throw AgentLimits.Violation("sent more output than the request's limit");
                }

                if (onOutput is not null && !cancellationToken.IsCancellationRequested)
                {
                    await onOutput(frame.Kind, frame.Payload);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException && token.IsCancellationRequested)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            throw new AgentUnavailableException($"the sandbox agent did not answer within {deadline.TotalSeconds:0.#} s", deadlinePassed: true);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or NotSupportedException)
        {
            throw AgentLimits.Violation(e.Message);
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
}
