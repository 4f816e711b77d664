using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Server;

namespace Cordon.Init.Processes;

/// <summary>Streams one output pipe to the connection as it arrives, within the request's budget.</summary>
internal static class OutputPump
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Runs until end of file or cancellation (a cancelled read loses no bytes: they stay in the pipe).</summary>
    public static async Task RunAsync(FdPipe pipe, AgentFrameKind kind, ReplyChannel channel, OutputBudget budget, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        try
        {
            while (true)
            {
                var read = await pipe.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                await ForwardAsync(buffer.AsMemory(0, read), kind, channel, budget);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Forwards what is already waiting in the pipe without waiting for more.</summary>
    public static async Task DrainAvailableAsync(FdPipe pipe, AgentFrameKind kind, ReplyChannel channel, OutputBudget budget, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        while (pipe.Available > 0)
        {
            var read = await pipe.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            await ForwardAsync(buffer.AsMemory(0, read), kind, channel, budget);
        }
    }

    private static async Task ForwardAsync(ReadOnlyMemory<byte> chunk, AgentFrameKind kind, ReplyChannel channel, OutputBudget budget)
    {
        var allowed = budget.Take(kind, chunk.Length);
        if (allowed > 0)
        {
            await channel.SendOutputAsync(kind, chunk[..allowed]);
        }
    }
}
