using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;
using Cordon.TestSupport;

namespace Cordon.Init.Tests;

/// <summary>The real agent binary running on the host with a temp socket and workspace, and a protocol client for it.</summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly DirectoryInfo _root;

    private AgentHost(ChildProcess process, DirectoryInfo root)
    {
        _process = process;
        _root = root;
    }

    public string Workspace => Path.Combine(_root.FullName, "ws");

    /// <summary>The agent's pid (to count its threads and fds).</summary>
    public int Pid => _process.Id;

    private string SocketPath => Path.Combine(_root.FullName, "agent.sock");

    public static async Task<AgentHost> StartAsync(CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("cordon-init-test-");
        var workspace = Directory.CreateDirectory(Path.Combine(root.FullName, "ws"));
        var socket = Path.Combine(root.FullName, "agent.sock");
        var process = ChildProcess.Start(
            ChildProcess.CreateStartInfo(RepoPaths.InitBinary, ["--socket", socket, "--workspace", workspace.FullName]), stopGrace: TimeSpan.Zero);
        var host = new AgentHost(process, root);
        for (var i = 0; i < 200 && !File.Exists(socket); i++)
        {
            await Task.Delay(10, cancellationToken);
        }

        return host;
    }

    /// <summary>Sends one request and collects every frame until the connection closes.</summary>
    public async Task<AgentResult> CallAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        using var stream = await ConnectAsync(cancellationToken);
        await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(request, AgentJsonContext.Default.AgentRequest), cancellationToken);
        return await ReadResultAsync(stream, cancellationToken);
    }

    /// <summary>Opens a raw connection (for hang-up and malformed-frame tests).</summary>
    public async Task<NetworkStream> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<AgentResult> ReadResultAsync(Stream stream, CancellationToken cancellationToken)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        AgentReply? reply = null;
        while (await AgentFrame.ReadAsync(stream, cancellationToken) is { } frame)
        {
            switch (frame.Kind)
            {
                case AgentFrameKind.Stdout: stdout.Write(frame.Payload.Span); break;
                case AgentFrameKind.Stderr: stderr.Write(frame.Payload.Span); break;
                default: reply = JsonSerializer.Deserialize(frame.Payload.Span, AgentJsonContext.Default.AgentReply); break;
            }
        }

        return new AgentResult(reply ?? throw new InvalidOperationException("no reply"), Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _root.Delete(recursive: true);
    }
}
