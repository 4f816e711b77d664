using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Runner.UnitTests.Sandboxes;

/// <summary>
/// An agent double on a real Unix socket, speaking the real frame protocol: files live in memory, and a spawn
/// answers its last argument on stdout with exit code 0 — enough for the runner's side of every call.
/// </summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private FakeAgent(Socket listener)
    {
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<AgentRequest> Requests { get; } = new();

    public static FakeAgent Start(string socketPath)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(16);
        return new FakeAgent(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(_stop.Token);
            _ = ServeAsync(connection);
        }
    }

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
