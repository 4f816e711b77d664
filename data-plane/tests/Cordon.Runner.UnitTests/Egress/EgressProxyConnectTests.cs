using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>CONNECT through a real Unix socket to real loopback servers: what is tunnelled, what is refused, what is recorded.</summary>
public sealed class EgressProxyConnectTests : IAsyncDisposable
{
    private readonly EgressHarness _harness = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_Allowlisted_TunnelsBothWaysAndRecordsBytes()
    {
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\n\r\n", _ct);
        Assert.Equal("HTTP/1.1 200 Connection Established\r\n\r\n", await client.ReadHeadAsync(_ct));
        await client.SendAsync("hello, world", _ct);
        Assert.Equal("hello, world", await client.ReadExactlyAsync(12, _ct));
        Assert.Equal(new EgressTotals(1, 0, 12, 12), proxy.Totals);
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.Equal("", await client.ReadToEndAsync(_ct));

        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal(("echo.test", upstream.Port, "127.0.0.1", true, $"echo.test:{upstream.Port}", (string?)null, 12L, 12L),
            (record.Host, record.Port, record.Address, record.Allowed, record.Rule, record.Reason, record.BytesOut, record.BytesIn));
    }

    [Fact]
    public async Task Connect_BytesSentWithTheHead_AreForwarded()
    {
        await using var upstream = LoopbackUpstream.Echo();
        _harness.Start($"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\nearly", _ct);

        Assert.Equal("HTTP/1.1 200 Connection Established\r\n\r\n", await client.ReadHeadAsync(_ct));
        Assert.Equal("early", await client.ReadExactlyAsync(5, _ct));
    }

    [Theory]
    [InlineData("evil.test", "evil.test:{0}", "not in this sandbox's allowlist")]
    [InlineData("ECHO.test", "echo.test:{1}", "not in this sandbox's allowlist")]
    [InlineData("sub.echo.test", "sub.echo.test:{0}", "not in this sandbox's allowlist")]
    [InlineData("127.0.0.1", "127.0.0.1:{0}", "not in this sandbox's allowlist")]
    [InlineData("2130706433", "127.0.0.1:{0}", "not in this sandbox's allowlist")]
    [InlineData("[::ffff:127.0.0.1]", "127.0.0.1:{0}", "not in this sandbox's allowlist")]
    public async Task Connect_NotListed_Refused403(string host, string target, string reason)
    {
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();
        // {1}: the listed name on another port.
        var port = target.Contains("{1}", StringComparison.Ordinal) ? upstream.Port + 1 : upstream.Port;
        var shown = string.Format(System.Globalization.CultureInfo.InvariantCulture, target, port, port);

        var reply = await client.ExchangeAsync($"CONNECT {host}:{port} HTTP/1.1\r\n\r\n", _ct);

        Assert.Equal(403, reply.Status);
        Assert.Equal("denied", reply.Headers["X-Cordon-Egress"]);
        Assert.Equal("text/plain; charset=utf-8", reply.Headers["Content-Type"]);
        Assert.Equal("close", reply.Headers["Connection"]);
        Assert.Equal($"cordon egress: {shown} denied: {reason}\n", reply.Body);
        Assert.Equal(0, upstream.Connections);
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal((false, "", reason, (string?)null), (record.Allowed, record.Rule, record.Reason, record.Address));
        Assert.Equal(new EgressTotals(1, 1, 0, 0), proxy.Totals);
    }

    [Fact]
    public async Task Connect_IpLiteralWithAddressRule_IsTunnelled()
    {
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"127.0.0.1:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"CONNECT 0x7f.1:{upstream.Port} HTTP/1.1\r\n\r\n", _ct);

        Assert.Equal("HTTP/1.1 200 Connection Established\r\n\r\n", await client.ReadHeadAsync(_ct));
        client.Dispose();
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal(("127.0.0.1", true, $"127.0.0.1:{upstream.Port}"), (record.Host, record.Allowed, record.Rule));
    }

    [Theory]
    [InlineData("10.9.8.7", "10.9.8.7 is private (RFC 1918)")]
    [InlineData("[fd00::1]", "fd00::1 is unique local (fc00::/7)")]
    [InlineData("169.254.169.254", "169.254.169.254 is link-local (cloud metadata among them)")]
    public async Task Connect_IpLiteralRuleToRefusedAddress_Refused403(string host, string reason)
    {
        var proxy = _harness.Start($"{host}:443");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync($"CONNECT {host}:443 HTTP/1.1\r\n\r\n", _ct);

        Assert.Equal(403, reply.Status);
        Assert.EndsWith($"denied: {reason}\n", reply.Body, StringComparison.Ordinal);
        Assert.False(Assert.Single(await EgressHarness.RecordsAsync(proxy, 1)).Allowed);
    }

    [Theory]
    [InlineData("internal.test", "internal.test resolves to 10.1.2.3, private (RFC 1918)")]
    [InlineData("mixed.test", "mixed.test resolves to 192.168.1.1, private (RFC 1918)")]
    [InlineData("metadata.test", "metadata.test resolves to 169.254.169.254, link-local (cloud metadata among them)")]
    public async Task Connect_NameResolvingToRefusedAddress_Refused403(string name, string reason)
    {
        var proxy = _harness.Start($"{name}:443");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync($"CONNECT {name}:443 HTTP/1.1\r\n\r\n", _ct);

        Assert.Equal(403, reply.Status);
        Assert.Equal($"cordon egress: {name}:443 denied: {reason}\n", reply.Body);
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal((false, "", reason), (record.Allowed, record.Rule, record.Reason));
    }

    [Fact]
    public async Task Connect_Allowed_ResolvesOnceAndConnectsToTheCheckedAddress()
    {
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\n", _ct);
        await client.ReadHeadAsync(_ct);
        client.Dispose();

        await EgressHarness.RecordsAsync(proxy, 1);
        Assert.Equal(1, _harness.Lookups["echo.test"]);
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Connect_FirstAddressRefusesTheConnection_TriesTheNextInOrder()
    {
        await using var upstream = LoopbackUpstream.Echo();
        _harness.Names["two.test"] = [System.Net.IPAddress.Parse("127.0.0.2"), System.Net.IPAddress.Loopback];
        var proxy = _harness.Start($"two.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"CONNECT two.test:{upstream.Port} HTTP/1.1\r\n\r\n", _ct);
        Assert.Equal("HTTP/1.1 200 Connection Established\r\n\r\n", await client.ReadHeadAsync(_ct));
        client.Dispose();

        Assert.Equal("127.0.0.1", Assert.Single(await EgressHarness.RecordsAsync(proxy, 1)).Address);
        Assert.Equal(1, _harness.Lookups["two.test"]);
    }

    [Fact]
    public async Task Connect_Unresolvable_Fails502()
    {
        var proxy = _harness.Start("nowhere.test:443");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync("CONNECT nowhere.test:443 HTTP/1.1\r\n\r\n", _ct);

        Assert.Equal(502, reply.Status);
        Assert.Equal("error", reply.Headers["X-Cordon-Egress"]);
        Assert.Equal("cordon egress: nowhere.test:443 failed: nowhere.test could not be resolved\n", reply.Body);
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal((true, "nowhere.test:443"), (record.Allowed, record.Rule));
        Assert.Equal(0, proxy.Totals.Denied);
    }

    [Fact]
    public async Task Connect_NothingListening_Fails502()
    {
        int port;
        await using (var gone = LoopbackUpstream.Echo())
        {
            port = gone.Port;
        }

        _harness.Start($"echo.test:{port}");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync($"CONNECT echo.test:{port} HTTP/1.1\r\n\r\n", _ct);

        Assert.Equal(502, reply.Status);
        Assert.Contains("could not connect to 127.0.0.1: ConnectionRefused", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CONNECT echo.test HTTP/1.1\r\n\r\n", "CONNECT needs host:port")]
    [InlineData("CONNECT echo.test:0 HTTP/1.1\r\n\r\n", "CONNECT needs host:port")]
    [InlineData("CONNECT ::1:443 HTTP/1.1\r\n\r\n", "CONNECT needs host:port")]
    [InlineData("CONNECT foo.0x:443 HTTP/1.1\r\n\r\n", "not a valid IPv4 address")]
    [InlineData("CONNECT ex_a%mple.test:443 HTTP/1.1\r\n\r\n", "character a host name cannot hold")]
    public async Task Connect_BadTarget_Refused400(string request, string reason)
    {
        _harness.Start("*.test:443");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync(request, _ct);

        Assert.Equal(400, reply.Status);
        Assert.Contains(reason, reply.Body, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();
}
