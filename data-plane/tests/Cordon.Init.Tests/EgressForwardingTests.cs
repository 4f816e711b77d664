using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Cordon.Contracts.Runner.Agent;
using Cordon.TestSupport;

namespace Cordon.Init.Tests;

/// <summary>
/// The agent's egress forwarder between 127.0.0.1:port and a test-owned Unix socket server where the runner's
/// proxy would be: bytes both ways, half-closes passed on, many connections at once, reachable by a job's program.
/// </summary>
public sealed class EgressForwardingTests : IAsyncDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cordon-egress-");
    private readonly int _port = FreePort.Next();
    private FakeEgressProxy? _proxy;
    private AgentHost? _agent;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Forward_FiveMebibytesEchoed_ArriveByteExactUntilTheProxysEndOfFile()
    {
        await StartAsync(FakeEgressProxy.EchoAsync);
        var payload = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        using var client = await Loopback.ConnectAsync(_port, Token);

        // Read while writing: the echo fills every buffer on the way back long before 5 MiB are sent.
        var echoed = Loopback.ReadToEndAsync(client, Token);
        await client.SendAsync(payload, SocketFlags.None, Token);
        client.Shutdown(SocketShutdown.Send);

        var received = await echoed;
        Assert.True(payload.AsSpan().SequenceEqual(received), "the echo differs from what was sent");
    }

    [Fact]
    public async Task Forward_ClientShutsDownSend_ProxySeesEndOfFileAndItsAnswerStillArrives()
    {
        await StartAsync(async (connection, cancellationToken) =>
        {
            // Answers only after the client's end of file: it arrives only if the forwarder passed the half-close
            // on and kept the way back open.
            var received = 0;
            var buffer = new byte[1024];
            while (await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) is var read and > 0)
            {
                received += read;
            }

            await connection.SendAsync(Encoding.ASCII.GetBytes($"got {received}"), SocketFlags.None, cancellationToken);
        });
        using var client = await Loopback.ConnectAsync(_port, Token);

        await client.SendAsync("hello"u8.ToArray(), SocketFlags.None, Token);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("got 5", Encoding.ASCII.GetString(await Loopback.ReadToEndAsync(client, Token)));
    }

    [Fact]
    public async Task Forward_ProxyShutsDownSend_ClientSeesEndOfFileAndCanStillSend()
    {
        var late = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartAsync(async (connection, cancellationToken) =>
        {
            await connection.SendAsync("greeting"u8.ToArray(), SocketFlags.None, cancellationToken);
            connection.Shutdown(SocketShutdown.Send);
            var received = new MemoryStream();
            var buffer = new byte[1024];
            while (await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) is var read and > 0)
            {
                received.Write(buffer, 0, read);
            }

            late.SetResult(Encoding.ASCII.GetString(received.ToArray()));
        });
        using var client = await Loopback.ConnectAsync(_port, Token);

        var greeting = await Loopback.ReadToEndAsync(client, Token);
        await client.SendAsync("late"u8.ToArray(), SocketFlags.None, Token);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("greeting", Encoding.ASCII.GetString(greeting));
        Assert.Equal("late", await late.Task.WaitAsync(TimeSpan.FromSeconds(30), Token));
    }

    [Fact]
    public async Task Forward_HundredConcurrentConnections_AllEchoedWhileTheAgentRunsAProgram()
    {
        await StartAsync(FakeEgressProxy.EchoAsync);
        var threads = Directory.GetFileSystemEntries($"/proc/{_agent!.Pid}/task").Length;

        var connections = Enumerable.Range(0, 100).Select(_ => EchoRoundTripAsync(RandomNumberGenerator.GetBytes(256 * 1024))).ToList();
        var program = _agent.CallAsync(new AgentSpawn { Argv = ["sh", "-c", "echo served"] }, Token);

        Assert.All(await Task.WhenAll(connections), Assert.True);
        var result = await program;
        Assert.Equal("served\n", result.Stdout);
        Assert.Equal(0, result.Exit.ExitCode);
        Assert.Equal(100, _proxy!.Accepted);
        // No thread per connection: the pool and the socket engine the agent started with carry them all.
        Assert.Equal(threads, Directory.GetFileSystemEntries($"/proc/{_agent.Pid}/task").Length);
    }

    [Fact]
    public async Task Forward_JobProgramWithHttpProxy_ReachesTheProxyAsTheJobUid()
    {
        var requestLine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartAsync(async (connection, cancellationToken) =>
        {
            // A proxy in miniature: read the request head, answer it, close.
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal)
                && await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) is var read and > 0)
            {
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            requestLine.SetResult(head.ToString().Split("\r\n")[0]);
            await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\nfrom the fake"u8.ToArray(), SocketFlags.None, cancellationToken);
        });
        var proxyUrl = $"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}";

        var result = await _agent!.CallAsync(new AgentSpawn
        {
            Argv = ["python3", "-c", "import os, urllib.request; print(os.getuid(), urllib.request.urlopen('http://example.invalid/path', timeout=20).read().decode())"],
            Env = new Dictionary<string, string> { ["HTTP_PROXY"] = proxyUrl, ["http_proxy"] = proxyUrl },
            TimeoutMs = 30_000,
        }, Token);

        Assert.Equal(0, result.Exit.ExitCode);
        Assert.Equal($"{AgentHost.JobUid} from the fake\n", result.Stdout);
        Assert.Equal("GET http://example.invalid/path HTTP/1.1", await requestLine.Task.WaitAsync(TimeSpan.FromSeconds(30), Token));
    }

    /// <summary>Sockets among a program's fds 0–1023: fstat on every number, since a listing of /proc/self/fd holds an fd of its own.</summary>
    private const string CountSockets = """
        import os, stat
        def is_socket(fd):
            try:
                return stat.S_ISSOCK(os.fstat(fd).st_mode)
            except OSError:
                return False
        print(sum(is_socket(fd) for fd in range(1024)))
        """;

    [Fact]
    public async Task Spawn_WhileAConnectionIsForwarded_TheProgramHoldsNoneOfTheForwardersSockets()
    {
        await StartAsync(FakeEgressProxy.EchoAsync);
        using var client = await Loopback.ConnectAsync(_port, Token);
        await client.SendAsync(new byte[] { 1 }, SocketFlags.None, Token);
        await Loopback.ReadExactlyAsync(client, 1, Token);

        var result = await _agent!.CallAsync(new AgentSpawn
        {
            Argv = ["python3", "-c", CountSockets],
        }, Token);

        Assert.Equal("", result.Stderr);
        Assert.Equal("0\n", result.Stdout);
    }

    private async Task StartAsync(Func<Socket, CancellationToken, Task> handler)
    {
        _proxy = new FakeEgressProxy(Path.Combine(_dir.FullName, "proxy.sock"), handler);
        _agent = await AgentHost.StartAsync(["--egress-socket", _proxy.Path, "--egress-port", _port.ToString(CultureInfo.InvariantCulture)], Token);
        // The forwarder listens before the agent serves: one answered request means the port is open.
        await _agent.CallAsync(new AgentHealthQuery(), Token);
    }

    private async Task<bool> EchoRoundTripAsync(byte[] payload)
    {
        using var client = await Loopback.ConnectAsync(_port, Token);
        var echoed = Loopback.ReadToEndAsync(client, Token);
        await client.SendAsync(payload, SocketFlags.None, Token);
        client.Shutdown(SocketShutdown.Send);
        var received = await echoed;
        return payload.AsSpan().SequenceEqual(received);
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        _dir.Delete(recursive: true);
    }
}
