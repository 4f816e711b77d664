using System.Net.Sockets;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Handlers;
using Cordon.Init.Native;

namespace Cordon.Init.Server;

/// <summary>One connection: one request frame in, output frames and one reply out, then close.</summary>
internal sealed class AgentConnection(Socket socket, RequestDispatcher dispatcher)
{
    public async Task ServeAsync(CancellationToken shutdown)
    {
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        using var channel = new ReplyChannel(stream, closed);

        var request = await ReadRequestAsync(stream, channel, closed.Token);
        if (request is null)
        {
            return;
        }

        using var done = new CancellationTokenSource();
        var watcher = WatchForHangUpAsync(stream, closed, done.Token);
        try
        {
            var reply = await dispatcher.DispatchAsync(request, channel, closed.Token);
            await channel.SendReplyAsync(reply);
        }
        finally
        {
            await done.CancelAsync();
            await watcher;
        }
    }

    private static async Task<AgentRequest?> ReadRequestAsync(Stream stream, ReplyChannel channel, CancellationToken cancellationToken)
    {
        string problem;
        try
        {
            var frame = await AgentFrame.ReadAsync(stream, cancellationToken);
            if (frame is not { } f)
            {
                return null;
            }

            if (f.Kind != AgentFrameKind.Message)
            {
                problem = $"The first frame must be a JSON message, not kind {(byte)f.Kind}.";
            }
            else if (JsonSerializer.Deserialize(f.Payload.Span, AgentJsonContext.Default.AgentRequest) is { } request)
            {
                return request;
            }
            else
            {
                problem = "The request is null.";
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or NotSupportedException)
        {
            problem = e.Message;
        }

        await channel.SendReplyAsync(new AgentError { Code = AgentErrorCodes.BadRequest, Message = problem });
        return null;
    }

    /// <summary>
    /// Cancels the request when the runner closes the connection. A half-close (the runner shutting down only
    /// its sending side) is not a cancellation, so after end of stream this waits for POLLHUP.
    /// </summary>
    private async Task WatchForHangUpAsync(Stream stream, CancellationTokenSource closed, CancellationToken done)
    {
        try
        {
            var buffer = new byte[1];
            while (await stream.ReadAsync(buffer, done) > 0)
            {
                // Nothing more is expected after the request; ignore it.
            }

            while (!done.IsCancellationRequested)
            {
                if (HungUp())
                {
                    await closed.CancelAsync();
                    return;
                }

                await Task.Delay(50, done);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            await closed.CancelAsync();
        }
    }

    private unsafe bool HungUp()
    {
        const short PollHup = 0x10;
        const short PollErr = 0x08;
        var fd = new Libc.PollFd { Fd = (int)socket.Handle, Events = 0 };
        return Libc.poll(&fd, 1, 0) > 0 && (fd.Revents & (PollHup | PollErr)) != 0;
    }
}
