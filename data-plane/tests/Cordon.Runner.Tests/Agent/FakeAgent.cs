using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;

namespace Cordon.Runner.Tests.Agent;

/// <summary>
/// A hostile agent on the far end of a real <see cref="AgentChannel"/>: it receives each connection as the real
/// agent does (SCM_RIGHTS) and answers with whatever the test scripts — oversized frames, floods, wrong replies,
/// silence. The adversary of the runner's agent limits, so a fake is the real thing here.
/// </summary>
internal sealed partial class FakeAgent : IDisposable
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
        while (Receive() is var fd and >= 0)
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

    private unsafe int Receive()
    {
        byte data;
        var control = stackalloc byte[24];
        var iov = stackalloc nint[2];
        iov[0] = (nint)(&data);
        iov[1] = 1;
        var message = stackalloc nint[7];
        new Span<nint>(message, 7).Clear();
        message[2] = (nint)iov;
        message[3] = 1;
        message[4] = (nint)control;
        message[5] = 24;
        var added = false;
        _agentEnd.DangerousAddRef(ref added);
        try
        {
            var n = recvmsg((int)_agentEnd.DangerousGetHandle(), message, 0);
            return n <= 0 ? -1 : *(int*)(control + 16);
        }
        finally
        {
            _agentEnd.DangerousRelease();
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recvmsg(int fd, nint* message, int flags);
}
