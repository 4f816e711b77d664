using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>The proxy socket's life: bound over a stale file and open to the sandbox uid, records drained, all closed on dispose.</summary>
public sealed class EgressProxyLifecycleTests : IAsyncDisposable
{
    private readonly EgressHarness _harness = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_StaleFileAtThePath_IsReplacedBySocketOpenToEveryUid()
    {
        await File.WriteAllTextAsync(_harness.SocketPath, "left by a crash", _ct);

        _harness.Start("web.test:80");

        Assert.Equal((UnixFileMode)Convert.ToInt32("666", 8), File.GetUnixFileMode(_harness.SocketPath));
        using var client = await _harness.ConnectAsync();
        Assert.Equal(403, (await client.ExchangeAsync("CONNECT evil.test:80 HTTP/1.1\r\n\r\n", _ct)).Status);
    }

    [Fact]
    public async Task TakeRecords_CalledAgain_HasOnlyWhatEndedSince()
    {
        var proxy = _harness.Start("web.test:80");
        foreach (var host in new[] { "a.test", "b.test" })
        {
            using var client = await _harness.ConnectAsync();
            await client.ExchangeAsync($"CONNECT {host}:80 HTTP/1.1\r\n\r\n", _ct);
        }

        var first = await EgressHarness.RecordsAsync(proxy, 2);
        Assert.Equal(["a.test", "b.test"], first.Select(r => r.Host).Order());
        Assert.Empty(proxy.TakeRecords());
        using (var client = await _harness.ConnectAsync())
        {
            await client.ExchangeAsync("CONNECT c.test:80 HTTP/1.1\r\n\r\n", _ct);
        }

        Assert.Equal("c.test", Assert.Single(await EgressHarness.RecordsAsync(proxy, 1)).Host);
        Assert.Equal(new EgressTotals(3, 3, 0, 0), proxy.Totals);
    }

    [Fact]
    public async Task DisposeAsync_OpenTunnel_IsClosedAndTheSocketUnlinked()
    {
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();
        await client.SendAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\nping", _ct);
        await client.ReadHeadAsync(_ct);
        Assert.Equal("ping", await client.ReadExactlyAsync(4, _ct));

        await proxy.DisposeAsync();

        Assert.False(File.Exists(_harness.SocketPath));
        Assert.Equal("", await client.ReadToEndAsync(_ct));
        var record = Assert.Single(proxy.TakeRecords());
        Assert.Equal((true, "proxy stopped", 4L, 4L), (record.Allowed, record.Reason, record.BytesOut, record.BytesIn));
    }

    [Fact]
    public async Task DisposeAsync_ClientMidHead_EndsAndRecordsIt()
    {
        var proxy = _harness.Start("web.test:80");
        using var client = await _harness.ConnectAsync();
        await client.SendAsync("GET http://web.test/ HTTP/1.1\r\n", _ct);
        await EgressHarness.WaitUntilAsync(() => proxy.Totals.Connections == 1);

        await proxy.DisposeAsync();

        Assert.Equal("proxy stopped", Assert.Single(proxy.TakeRecords()).Reason);
    }

    [Fact]
    public async Task Connection_ClientVanishesAnywhere_LeavesTheProxyServing()
    {
        await using var upstream = LoopbackUpstream.Echo();
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        string[] partials = ["CONNECT", "CONNECT echo.test:" + upstream.Port, $"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\n"];
        foreach (var partial in partials)
        {
            using var client = await _harness.ConnectAsync();
            await client.SendAsync(partial, _ct);
        }

        await EgressHarness.RecordsAsync(proxy, partials.Length);
        using var last = await _harness.ConnectAsync();
        await last.SendAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\n", _ct);
        Assert.Equal("HTTP/1.1 200 Connection Established\r\n\r\n", await last.ReadHeadAsync(_ct));
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();
}
