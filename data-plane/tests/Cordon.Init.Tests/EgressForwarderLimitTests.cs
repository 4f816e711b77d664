using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cordon.Contracts.Runner.Agent;
using Cordon.TestSupport;

namespace Cordon.Init.Tests;

/// <summary>
/// What a sandbox's job can do to the egress forwarder, and what the agent's options make of it: the connection
/// limit, a proxy socket that is not there, a port already taken, no egress at all, and options it refuses.
/// </summary>
public sealed class EgressForwarderLimitTests : IAsyncDisposable
{
    private const int Limit = 256;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cordon-egress-");
    private readonly int _port = FreePort.Next();
    private AgentHost? _agent;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string ProxyPath => Path.Combine(_dir.FullName, "proxy.sock");

    private string Port => _port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Forward_PastTheConnectionLimit_ClosesTheExtraOnesAndRecovers()
    {
        await using var proxy = new FakeEgressProxy(ProxyPath, FakeEgressProxy.EchoAsync);
        await StartAgentAsync(["--egress-socket", ProxyPath, "--egress-port", Port]);
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < Limit; i++)
            {
                var socket = await Loopback.ConnectAsync(_port, Token);
                held.Add(socket);
                await socket.SendAsync(new byte[] { 7 }, SocketFlags.None, Token);
                Assert.Equal(7, (await Loopback.ReadExactlyAsync(socket, 1, Token))[0]);
            }

            using (var extra = await Loopback.ConnectAsync(_port, Token))
            using (var another = await Loopback.ConnectAsync(_port, Token))
            {
                Assert.True(await Loopback.IsClosedWithoutDataAsync(extra, Token), "the 257th connection was not closed");
                Assert.True(await Loopback.IsClosedWithoutDataAsync(another, Token), "the 258th connection was not closed");
            }

            Assert.Equal(Limit, proxy.Accepted);
            Assert.IsType<AgentHealth>((await _agent!.CallAsync(new AgentHealthQuery(), Token)).Reply);
        }
        finally
        {
            held.ForEach(socket => socket.Dispose());
        }

        // The held connections' slots come free as the forwarder sees them close, not at once: ask until one is.
        Assert.True(await EventuallyAsync(() => Loopback.EchoesAsync(_port, Token)), "no connection was forwarded after the held ones closed");
    }

    [Fact]
    public async Task Forward_AgentOutOfFds_RetriesTheAcceptAndForwardsOnceFdsAreFree()
    {
        await using var proxy = new FakeEgressProxy(ProxyPath, FakeEgressProxy.EchoAsync);
        await StartAgentAsync(["--egress-socket", ProxyPath, "--egress-port", Port]);
        var pid = _agent!.Pid;

        var previous = FdLimit.SetSoft(pid, (ulong)FdLimit.LowestFreeFd(pid));
        Task<bool> echoed;
        try
        {
            // The kernel completes the handshake; the agent's accept meets EMFILE until the limit is back.
            echoed = Loopback.EchoesAsync(_port, Token);
            Assert.True(await EventuallyAsync(async () => (await _agent.LogAsync(Token)).Contains("egress forwarder: accept failed", StringComparison.Ordinal)), "the agent never met EMFILE");
            Assert.False(echoed.IsCompleted);
        }
        finally
        {
            FdLimit.SetSoft(pid, previous);
        }

        Assert.True(await echoed, "the connection queued during EMFILE was not forwarded");
        Assert.IsType<AgentHealth>((await _agent.CallAsync(new AgentHealthQuery(), Token)).Reply);
    }

    [Fact]
    public async Task Forward_ProxySocketAbsent_ClosesTheConnectionAndForwardsOnceItIsThere()
    {
        await StartAgentAsync(["--egress-socket", ProxyPath, "--egress-port", Port]);

        using (var client = await Loopback.ConnectAsync(_port, Token))
        {
            Assert.True(await Loopback.IsClosedWithoutDataAsync(client, Token), "a connection without a proxy was not closed");
        }

        Assert.IsType<AgentHealth>((await _agent!.CallAsync(new AgentHealthQuery(), Token)).Reply);
        Assert.Equal([_port], AgentTcpSockets.ListeningPorts(_agent.Pid));
        await using var proxy = new FakeEgressProxy(ProxyPath, FakeEgressProxy.EchoAsync);
        Assert.True(await Loopback.EchoesAsync(_port, Token), "the proxy that came later was not reached");
    }

    [Fact]
    public async Task Start_EgressSocketWithoutPort_ListensOnTheProxyPort3128()
    {
        // The one test on a fixed port: the default is what every sandbox's HTTP_PROXY names.
        await StartAgentAsync(["--egress-socket", ProxyPath]);

        Assert.Equal([3128], AgentTcpSockets.ListeningPorts(_agent!.Pid));
    }

    [Fact]
    public async Task Start_WithoutEgressSocket_ListensOnNoPort()
    {
        await StartAgentAsync(["--egress-port", Port]);

        Assert.Empty(AgentTcpSockets.ListeningPorts(_agent!.Pid));
        var refused = await Assert.ThrowsAsync<SocketException>(() => Loopback.ConnectAsync(_port, Token));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Start_PortTaken_SaysSoAndServesTheAgentProtocol()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, _port));
        taken.Listen();

        await StartAgentAsync(["--egress-socket", ProxyPath, "--egress-port", Port]);

        Assert.Contains("cordon-init: egress forwarder: cannot listen on 127.0.0.1:" + Port, await _agent!.LogAsync(Token), StringComparison.Ordinal);
        Assert.Empty(AgentTcpSockets.ListeningPorts(_agent.Pid));
    }

    [Theory]
    [InlineData("--egress-socket", "relative/proxy.sock")]
    [InlineData("--egress-socket", "/a-path-longer-than-a-unix-socket-address-holds/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock")]
    [InlineData("--egress-socket", "")]
    [InlineData("--egress-port", "0")]
    [InlineData("--egress-port", "65536")]
    [InlineData("--egress-port", "proxy")]
    [InlineData("--egress-port", null)]
    public async Task Start_UnusableEgressOption_ExitsWithUsage(string option, string? value)
    {
        _agent = await AgentHost.StartAsync(value is null ? [option] : [option, value], Token);

        Assert.Equal(2, await _agent.Exited.WaitAsync(TimeSpan.FromSeconds(30), Token));
        Assert.Contains("--egress-socket ABSOLUTE-PATH] [--egress-port N]", await _agent.LogAsync(Token), StringComparison.Ordinal);
    }

    private async Task StartAgentAsync(IReadOnlyList<string> arguments)
    {
        _agent = await AgentHost.StartAsync(arguments, Token);
        // The forwarder starts before the agent serves: one answered request means it is listening, or gave up.
        Assert.IsType<AgentHealth>((await _agent.CallAsync(new AgentHealthQuery(), Token)).Reply);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100, Token);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        _dir.Delete(recursive: true);
    }
}
