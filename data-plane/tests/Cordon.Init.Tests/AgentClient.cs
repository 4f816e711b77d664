using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

/// <summary>Speaks the real agent protocol over the real socket, one connection per request.</summary>
internal sealed class AgentClient(string socketPath)
{
    public async Task<AgentResult> SendAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await AgentFrame.WriteAsync(connection, AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(request, AgentJsonContext.Default.AgentRequest), cancellationToken);
        return await ReadResultAsync(connection, cancellationToken);
    }

    public async Task<T> SendAsync<T>(AgentRequest request, CancellationToken cancellationToken) where T : AgentReply =>
        (await SendAsync(request, cancellationToken)).Reply as T
        ?? throw new InvalidOperationException($"Expected {typeof(T).Name}.");

    public async Task<NetworkStream> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<AgentResult> ReadResultAsync(Stream connection, CancellationToken cancellationToken)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        while (await AgentFrame.ReadAsync(connection, cancellationToken) is { } frame)
        {
            switch (frame.Kind)
            {
                case AgentFrameKind.Stdout:
                    stdout.Write(frame.Payload.Span);
                    break;
                case AgentFrameKind.Stderr:
                    stderr.Write(frame.Payload.Span);
                    break;
                default:
                    var reply = JsonSerializer.Deserialize(frame.Payload.Span, AgentJsonContext.Default.AgentReply)!;
                    return new AgentResult(stdout.ToArray(), stderr.ToArray(), reply);
            }
        }

        throw new EndOfStreamException("The agent closed the connection without a reply.");
    }
}

/// <summary>Everything one request produced.</summary>
internal sealed record AgentResult(byte[] Stdout, byte[] Stderr, AgentReply Reply)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string StderrText => Encoding.UTF8.GetString(Stderr);

    public AgentExit Exit => Reply as AgentExit ?? throw new InvalidOperationException($"Expected an exit, got {Reply}.");
}
