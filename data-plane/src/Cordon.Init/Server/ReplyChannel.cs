using System.Net.Sockets;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Server;

/// <summary>
/// Writes frames to one connection, one at a time. A failed write means the runner went away: the request is
/// cancelled and later output is dropped (the pumps keep draining the program's pipes).
/// </summary>
internal sealed class ReplyChannel(Stream stream, CancellationTokenSource closed) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _broken;

    public Task SendOutputAsync(AgentFrameKind kind, ReadOnlyMemory<byte> bytes) => SendAsync(kind, bytes);

    public Task SendReplyAsync(AgentReply reply) =>
        SendAsync(AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(reply, AgentJsonContext.Default.AgentReply));

    private async Task SendAsync(AgentFrameKind kind, ReadOnlyMemory<byte> payload)
    {
        await _writeLock.WaitAsync();
        try
        {
            if (_broken)
            {
                return;
            }

            await AgentFrame.WriteAsync(stream, kind, payload, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _broken = true;
            await closed.CancelAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose() => _writeLock.Dispose();
}
