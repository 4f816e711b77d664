using System.Net.Sockets;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Runner.Agent;

/// <summary>
/// Speaks the agent protocol to one sandbox's <c>cordon-init</c> over its Unix socket: one request per
/// connection; disposing the connection cancels the request (the agent kills what it started).
/// </summary>
internal sealed class AgentClient(string socketPath)
{
    public string SocketPath { get; } = socketPath;

    /// <summary>Sends <paramref name="request"/> and returns the final reply; output frames go to <paramref name="onOutput"/>.</summary>
    public async Task<AgentReply> SendAsync(AgentRequest request, Func<AgentFrameKind, ReadOnlyMemory<byte>, ValueTask>? onOutput, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, AgentJsonContext.Default.AgentRequest);
        await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, payload, cancellationToken);
        while (true)
        {
            var frame = await AgentFrame.ReadAsync(stream, cancellationToken)
                ?? throw new EndOfStreamException("The agent closed the connection before replying.");
            if (frame.Kind == AgentFrameKind.Message)
            {
                return JsonSerializer.Deserialize(frame.Payload.Span, AgentJsonContext.Default.AgentReply)
                    ?? throw new InvalidDataException("Empty agent reply.");
            }

            if (onOutput is not null)
            {
                await onOutput(frame.Kind, frame.Payload);
            }
        }
    }

    /// <summary>Like <see cref="SendAsync"/>, but an <see cref="AgentError"/> becomes an <see cref="AgentException"/>.</summary>
    public async Task<T> CallAsync<T>(AgentRequest request, CancellationToken cancellationToken)
        where T : AgentReply
    {
        var reply = await SendAsync(request, null, cancellationToken);
        return reply switch
        {
            T ok => ok,
            AgentError error => throw new AgentException(error.Code, error.Message),
            _ => throw new InvalidDataException($"Unexpected agent reply {reply.GetType().Name} to {request.GetType().Name}."),
        };
    }

    /// <summary>Polls until the agent answers health; the socket appears a few milliseconds after runc starts it.</summary>
    public async Task<AgentHealth> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Exception? last = null;
        while (true)
        {
            if (File.Exists(SocketPath))
            {
                try
                {
                    var health = await CallAsync<AgentHealth>(new AgentHealthQuery(), deadline.Token);
                    return health.ProtocolVersion == AgentFrame.ProtocolVersion
                        ? health
                        : throw new InvalidOperationException($"cordon-init speaks protocol {health.ProtocolVersion}, the runner {AgentFrame.ProtocolVersion}.");
                }
                catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
                {
                    last = e;
                }
            }

            try
            {
                await Task.Delay(2, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The sandbox agent did not become ready within {timeout.TotalMilliseconds:0} ms.", last);
            }
        }
    }
}
