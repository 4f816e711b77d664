using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;
using Cordon.TestSupport;

namespace Cordon.Runner.UnitTests.Sandboxes;

/// <summary>
/// An agent double on the real control channel (each connection received as SCM_RIGHTS, as cordon-init does),
/// speaking the real frame protocol: files live in memory, and a spawn
/// answers its last argument on stdout with exit code 0 — enough for the runner's side of every call.
/// </summary>
internal sealed partial class FakeAgent : IAsyncDisposable
{
    private readonly Socket _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private FakeAgent(Socket channel)
    {
        _channel = channel;
        _accepting = Task.Factory.StartNew(Receive, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<AgentRequest> Requests { get; } = new();

    /// <summary>Starts on its own copy of the agent's end (the runner closes its copy once the runtime has run).</summary>
    public static FakeAgent Start(SafeHandle agentEnd)
    {
        var added = false;
        agentEnd.DangerousAddRef(ref added);
        try
        {
            var fd = dup((int)agentEnd.DangerousGetHandle());
            return fd < 0
                ? throw new IOException($"dup: errno {Marshal.GetLastPInvokeError()}")
                : new FakeAgent(new Socket(new SafeSocketHandle(fd, ownsHandle: true)));
        }
        finally
        {
            agentEnd.DangerousRelease();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            _channel.Shutdown(SocketShutdown.Both); // wakes the blocked receive
        }
        catch (SocketException)
        {
        }

        _channel.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private void Receive()
    {
        while (!_stop.IsCancellationRequested && PassedDescriptor.Receive(_channel.SafeHandle) is var fd and >= 0)
        {
            _ = ServeAsync(new Socket(new SafeSocketHandle(fd, ownsHandle: true)));
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            await using var stream = new NetworkStream(connection, ownsSocket: false);
            try
            {
                if (await AgentFrame.ReadAsync(stream, _stop.Token) is not { } frame)
                {
                    return; // a readiness probe: connect and close
                }

                var request = JsonSerializer.Deserialize(frame.Payload.Span, AgentJsonContext.Default.AgentRequest)!;
                Requests.Enqueue(request);
                if (request is AgentSpawn spawn)
                {
                    await AgentFrame.WriteAsync(stream, AgentFrameKind.Stdout, Encoding.UTF8.GetBytes(spawn.Argv[^1]), _stop.Token);
                }

                var reply = Answer(request);
                await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(reply, AgentJsonContext.Default.AgentReply), _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    private AgentReply Answer(AgentRequest request) => request switch
    {
        AgentHealthQuery => new AgentHealth { ProtocolVersion = AgentFrame.ProtocolVersion, Version = "fake", UptimeMs = 1 },
        AgentWriteFile write => Store(write),
        AgentReadFile read => Files.TryGetValue(read.Path, out var content)
            ? new AgentFileContent { Content = content }
            : new AgentError { Code = AgentErrorCodes.NotFound, Message = $"'{read.Path}' does not exist" },
        AgentListFiles => new AgentFileList { Entries = [.. Files.Select(f => new AgentFileEntry(f.Key, f.Value.Length, false, 0))] },
        AgentDeleteFile delete => Files.TryRemove(delete.Path, out _) ? new AgentOk() : new AgentError { Code = AgentErrorCodes.NotFound, Message = "gone" },
        AgentSpawn => new AgentExit { ExitCode = 0, StartedAtUnixMs = 1, DurationMs = 1 },
        _ => new AgentError { Code = AgentErrorCodes.BadRequest, Message = "unknown request" },
    };

    private AgentOk Store(AgentWriteFile write)
    {
        Files[write.Path] = write.Content;
        return new AgentOk();
    }
}
