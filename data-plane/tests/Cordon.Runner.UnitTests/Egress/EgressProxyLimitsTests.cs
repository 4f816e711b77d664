using System.Diagnostics;
using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>The per-sandbox limits on real tunnels: concurrent connections, the byte budget, the idle timeout.</summary>
public sealed class EgressProxyLimitsTests : IAsyncDisposable
{
    private readonly EgressHarness _harness = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_OverMaxConnections_Refused429UntilOneCloses()
    {
        _harness.Options.MaxConnections = 2;
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var first = await OpenTunnelAsync(upstream.Port);
        using var second = await OpenTunnelAsync(upstream.Port);

        using (var third = await _harness.ConnectAsync())
        {
            var reply = await third.ExchangeAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\n", _ct);
            Assert.Equal(429, reply.Status);
            Assert.Equal($"cordon egress: echo.test:{upstream.Port} denied: connection limit\n", reply.Body);
        }

        var refused = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal((false, "connection limit"), (refused.Allowed, refused.Reason));
        first.Dispose();
        await EgressHarness.RecordsAsync(proxy, 1);
        using var fourth = await OpenTunnelAsync(upstream.Port);
        Assert.Equal(new EgressTotals(4, 1, 0, 0), proxy.Totals);
    }

    [Fact]
    public async Task Connect_PastTwiceMaxConnections_ClosedUnanswered()
    {
        _harness.Options.MaxConnections = 1;
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var open = await OpenTunnelAsync(upstream.Port);
        // The second waits for its head (so it is answered 429); the third is past twice the limit.
        using var refused = await _harness.ConnectAsync();
        await EgressHarness.WaitUntilAsync(() => proxy.Totals.Connections == 2);
        using var dropped = await _harness.ConnectAsync();

        Assert.Equal("", await dropped.ReadToEndAsync(_ct));
        var reply = await refused.ExchangeAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\n", _ct);
        Assert.Equal(429, reply.Status);
        var records = await EgressHarness.RecordsAsync(proxy, 2);
        Assert.All(records, r => Assert.Equal((false, "connection limit"), (r.Allowed, r.Reason)));
        Assert.Equal(new EgressTotals(3, 2, 0, 0), proxy.Totals);
    }

    [Fact]
    public async Task Tunnel_OverMaxBytes_ClosesEveryTunnelAndRefusesNewOnes()
    {
        _harness.Options.MaxBytes = 10;
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var busy = await OpenTunnelAsync(upstream.Port);
        using var bystander = await OpenTunnelAsync(upstream.Port);

        // 8 bytes out fit; their 8-byte echo would make 16 and is never delivered.
        await busy.SendAsync("12345678", _ct);

        Assert.Equal("", await busy.ReadToEndAsync(_ct));
        Assert.Equal("", await bystander.ReadToEndAsync(_ct));
        using (var late = await _harness.ConnectAsync())
        {
            var reply = await late.ExchangeAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\n", _ct);
            Assert.Equal((429, $"cordon egress: echo.test:{upstream.Port} denied: byte limit\n"), (reply.Status, reply.Body));
        }

        var records = await EgressHarness.RecordsAsync(proxy, 3);
        Assert.All(records, r => Assert.Equal("byte limit", r.Reason));
        Assert.Equal([true, true, false], records.Select(r => r.Allowed).Order().Reverse());
        Assert.Equal(8, records.Sum(r => r.BytesOut));
        Assert.Equal(new EgressTotals(3, 1, 8, 0), proxy.Totals);
    }

    [Fact]
    public async Task Tunnel_IdleForTheTimeout_IsClosed()
    {
        _harness.Options.IdleTimeoutSeconds = 1;
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var client = await OpenTunnelAsync(upstream.Port);
        await client.SendAsync("x", _ct);
        Assert.Equal("x", await client.ReadExactlyAsync(1, _ct));
        var quiet = Stopwatch.StartNew();

        Assert.Equal("", await client.ReadToEndAsync(_ct));

        Assert.InRange(quiet.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10));
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal((true, "idle timeout", 1L, 1L), (record.Allowed, record.Reason, record.BytesOut, record.BytesIn));
    }

    [Fact]
    public async Task Tunnel_BytesKeepMoving_OutlivesTheIdleTimeout()
    {
        _harness.Options.IdleTimeoutSeconds = 1;
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var client = await OpenTunnelAsync(upstream.Port);

        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(300, _ct);
            await client.SendAsync("x", _ct);
            Assert.Equal("x", await client.ReadExactlyAsync(1, _ct));
        }

        Assert.Empty(proxy.TakeRecords());
    }

    private async Task<ProxyClient> OpenTunnelAsync(int port)
    {
        var client = await _harness.ConnectAsync();
        await client.SendAsync($"CONNECT echo.test:{port} HTTP/1.1\r\n\r\n", _ct);
        Assert.Equal("HTTP/1.1 200 Connection Established\r\n\r\n", await client.ReadHeadAsync(_ct));
        return client;
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();
}
