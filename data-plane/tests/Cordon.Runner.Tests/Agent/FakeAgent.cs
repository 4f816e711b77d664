using System.Net.Sockets;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.TestSupport;

namespace Cordon.Runner.Tests.Agent;

/// <summary>
/// A hostile agent on the far end of a real <see cref="AgentChannel"/>: it receives each connection as the real
/// agent does (SCM_RIGHTS) and answers with whatever the test scripts — oversized frames, floods, wrong replies,
/// silence. The adversary of the runner's agent limits, so a fake is the real thing here.
/// </summary>
internal sealed class FakeAgent : IDisposable
{
    private readonly AgentChannel _channel = new();
    private readonly Func<AgentRequest, NetworkStream, Task> _answer;
    private readonly SafeSocketHandle _agentEnd;
    private readonly Task _loop;

    public FakeAgent(Func<AgentRequest, NetworkStream, Task> answer)
    {
        _answer = answer;
        _agentEnd = _channel.AgentEnd;
        _loop = Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public AgentClient Client => new(_channel);

    public static Task WriteAsync(Stream stream, AgentFrameKind kind, int length, byte value = (byte)'x')
    {
        var payload = new byte[length];
        Array.Fill(payload, value);
        return WriteRawAsync(stream, kind, payload);
    }

    public static async Task WriteRawAsync(Stream stream, AgentFrameKind kind, byte[] payload)
    {
        var header = new byte[5];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(payload.Length + 1));
        header[4] = (byte)kind;
        await stream.WriteAsync(header);
        await stream.WriteAsync(payload);
    }

    public static Task ReplyAsync(Stream stream, AgentReply reply) =>
        WriteRawAsync(stream, AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(reply, AgentJsonContext.Default.AgentReply));

    public void Dispose()
    {
        _channel.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private void Loop()
    {
        try
        {
            Serve();
        }
        catch (ObjectDisposedException)
        {
            // the test is over: the channel was closed under the receive
        }
    }

    private void Serve()
    {
        while (PassedDescriptor.Receive(_agentEnd) is var fd and >= 0)
        {
            var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            _ = Task.Run(async () =>
            {
                using var owned = socket;
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                try
                {
                    var frame = await AgentFrame.ReadAsync(stream, CancellationToken.None);
                    var request = JsonSerializer.Deserialize(frame!.Value.Payload.Span, AgentJsonContext.Default.AgentRequest)!;
                    await _answer(request, stream);
                }
                catch (IOException)
                {
                    // the runner hung up on us, as it should
                }
            });
        }
    }
}
