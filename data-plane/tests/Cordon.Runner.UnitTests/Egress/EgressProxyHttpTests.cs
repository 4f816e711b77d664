namespace Cordon.Runner.UnitTests.Egress;

/// <summary>Plain HTTP in absolute form, and what the proxy refuses before any policy: origin-form, https, garbage.</summary>
public sealed class EgressProxyHttpTests : IAsyncDisposable
{
    private readonly EgressHarness _harness = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Http_AbsoluteForm_ForwardsOriginFormWithConnectionClose()
    {
        await using var upstream = LoopbackUpstream.Http();
        var proxy = _harness.Start($"web.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync(
            $"GET http://WEB.test:{upstream.Port}/path/x?q=1 HTTP/1.1\r\nHost: web.TEST:{upstream.Port}\r\nUser-Agent: t\r\n"
            + "Proxy-Authorization: Basic eDp5\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive, X-Drop\r\nX-Drop: 1\r\n"
            + "Keep-Alive: timeout=5\r\nTE: trailers\r\nUpgrade: h2c\r\nX-Keep: 2\r\n\r\n", _ct);

        Assert.Equal((200, "ok"), (reply.Status, reply.Body));
        var head = Assert.Single(upstream.Heads);
        Assert.Equal($"GET /path/x?q=1 HTTP/1.1\r\nHost: WEB.test:{upstream.Port}\r\nUser-Agent: t\r\nX-Keep: 2\r\nConnection: close\r\n\r\n", head);
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal(("web.test", true, $"web.test:{upstream.Port}", (long)head.Length), (record.Host, record.Allowed, record.Rule, record.BytesOut));
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".Length, record.BytesIn);
    }

    [Fact]
    public async Task Http_BodyAndQueryOnlyTarget_AreForwarded()
    {
        await using var upstream = LoopbackUpstream.Echo();
        _harness.Start($"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"POST http://echo.test:{upstream.Port}?a=b HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\nContent-Length: 4\r\n\r\nbody", _ct);
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        Assert.Equal(
            $"POST /?a=b HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody",
            await client.ReadToEndAsync(_ct));
    }

    [Fact]
    public async Task Http_PipelinedRequestsPastTheBody_NeverReachTheUpstream()
    {
        await using var upstream = LoopbackUpstream.Echo();
        _harness.Start($"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"POST http://echo.test:{upstream.Port}/ HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\nContent-Length: 2\r\n\r\nok"
            + "GET /admin HTTP/1.1\r\nHost: internal.admin\r\n\r\n", _ct);
        await Task.Delay(100, _ct);
        await client.SendAsync("GET /later HTTP/1.1\r\nHost: internal.admin\r\n\r\n", _ct);
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        var echoed = await client.ReadToEndAsync(_ct);
        Assert.Equal($"POST / HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", echoed);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\n", 411)]
    [InlineData("Content-Length: 2\r\nContent-Length: 3\r\n", 400)]
    [InlineData("Content-Length: 2, 3\r\n", 400)]
    [InlineData("Content-Length: -1\r\n", 400)]
    public async Task Http_BodyOfUnknownLength_IsRefused(string framing, int status)
    {
        await using var upstream = LoopbackUpstream.Echo();
        _harness.Start($"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync($"POST http://echo.test:{upstream.Port}/ HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\n{framing}\r\n", _ct);

        Assert.Equal(status, reply.Status);
        Assert.Equal(0, upstream.Connections);
    }

    [Fact]
    public async Task Http_ClientKeepsItsEndOpen_EndsWithTheResponse()
    {
        _harness.Options.IdleTimeoutSeconds = 60;
        await using var upstream = LoopbackUpstream.Http();
        var proxy = _harness.Start($"web.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"GET http://web.test:{upstream.Port}/ HTTP/1.0\r\n\r\n", _ct);

        Assert.EndsWith("\r\n\r\nok", await client.ReadToEndAsync(_ct), StringComparison.Ordinal);
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal((true, (string?)null), (record.Allowed, record.Reason));
        Assert.InRange(record.DurationMs, 0, 10_000);
        Assert.Equal($"GET / HTTP/1.0\r\nHost: web.test:{upstream.Port}\r\nConnection: close\r\n\r\n", Assert.Single(upstream.Heads));
    }

    [Fact]
    public async Task Http_DefaultPortAndNoHostHeader_GoToPort80()
    {
        var proxy = _harness.Start("web.test:8080");
        using var client = await _harness.ConnectAsync();

        // Port 80 is not listed, so the request is refused, naming the port the default made.
        var reply = await client.ExchangeAsync("GET http://web.test/ HTTP/1.0\r\n\r\n", _ct);

        Assert.Equal(403, reply.Status);
        Assert.Equal("cordon egress: web.test:80 denied: not in this sandbox's allowlist\n", reply.Body);
        Assert.Equal(80, Assert.Single(await EgressHarness.RecordsAsync(proxy, 1)).Port);
    }

    [Theory]
    [InlineData("evil.test:{0}")]
    [InlineData("web.test:1")]
    [InlineData("web.test")]
    [InlineData("127.0.0.1:{0}")]
    public async Task Http_SpoofedHostHeader_Refused403AndReachesNoOne(string hostHeader)
    {
        await using var upstream = LoopbackUpstream.Http();
        var proxy = _harness.Start($"web.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();
        var header = string.Format(System.Globalization.CultureInfo.InvariantCulture, hostHeader, upstream.Port);

        var reply = await client.ExchangeAsync($"GET http://web.test:{upstream.Port}/ HTTP/1.1\r\nHost: {header}\r\n\r\n", _ct);

        Assert.Equal(403, reply.Status);
        Assert.Equal($"cordon egress: web.test:{upstream.Port} denied: Host header does not match the request target\n", reply.Body);
        Assert.Equal(0, upstream.Connections);
        Assert.False(Assert.Single(await EgressHarness.RecordsAsync(proxy, 1)).Allowed);
    }

    [Fact]
    public async Task Http_TwoHostHeaders_Refused400()
    {
        await using var upstream = LoopbackUpstream.Http();
        _harness.Start($"web.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync(
            $"GET http://web.test:{upstream.Port}/ HTTP/1.1\r\nHost: web.test:{upstream.Port}\r\nHost: evil.test\r\n\r\n", _ct);

        Assert.Equal(400, reply.Status);
        Assert.Equal(0, upstream.Connections);
    }

    [Theory]
    [InlineData("GET https://web.test/ HTTP/1.1\r\nHost: web.test\r\n\r\n", 400, "https through this proxy must use CONNECT")]
    [InlineData("GET / HTTP/1.1\r\nHost: web.test\r\n\r\n", 400, "this is a proxy")]
    [InlineData("GET ftp://web.test/ HTTP/1.1\r\n\r\n", 400, "only http:// URIs and CONNECT")]
    [InlineData("GET http://user@web.test/ HTTP/1.1\r\n\r\n", 400, "authority is not host[:port]")]
    [InlineData("GET http://web.test/#x HTTP/1.1\r\n\r\n", 400, "no fragment")]
    [InlineData("GET http://web.test/ HTTP/2.0\r\n\r\n", 400, "not HTTP/1.0 or HTTP/1.1")]
    [InlineData("GET  http://web.test/ HTTP/1.1\r\n\r\n", 400, "request line")]
    [InlineData("GET http://web.test/ HTTP/1.1\r\n folded: x\r\n\r\n", 400, "name: value")]
    [InlineData("GET http://web.test/ HTTP/1.1\r\nBad Name: x\r\n\r\n", 400, "name: value")]
    [InlineData("GET http://web.test/ HTTP/1.1\nHost: web.test\r\n\r\n", 400, "CRLF")]
    [InlineData("hello\r\n\r\n", 400, "request line")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003", 400, "not HTTP")]
    public async Task Request_NotAProxyRequest_IsRefused(string request, int status, string reason)
    {
        await using var upstream = LoopbackUpstream.Http();
        var proxy = _harness.Start("web.test:80", "web.test:443");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync(request, _ct);

        Assert.Equal(status, reply.Status);
        Assert.Equal("denied", reply.Headers["X-Cordon-Egress"]);
        Assert.Contains(reason, reply.Body, StringComparison.Ordinal);
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.False(record.Allowed);
        Assert.Contains(reason, record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_HeadOver16KiB_Refused431()
    {
        var proxy = _harness.Start("web.test:80");
        using var client = await _harness.ConnectAsync();

        var reply = await client.ExchangeAsync($"GET http://web.test/ HTTP/1.1\r\nX-Big: {new string('a', 17 * 1024)}\r\n\r\n", _ct);

        Assert.Equal(431, reply.Status);
        Assert.False(Assert.Single(await EgressHarness.RecordsAsync(proxy, 1)).Allowed);
    }

    [Fact]
    public async Task Request_HeadNotFinishedInTime_Refused408()
    {
        _harness.Options.HeaderTimeoutSeconds = 1;
        var proxy = _harness.Start("web.test:80");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync("GET http://web.test/ HTTP/1.1\r\nHost: web", _ct);

        var reply = ProxyReply.Parse(await client.ReadToEndAsync(_ct));
        Assert.Equal(408, reply.Status);
        Assert.Equal("no request head within 1 s", Assert.Single(await EgressHarness.RecordsAsync(proxy, 1)).Reason);
    }

    [Fact]
    public async Task Request_ClientClosesWithoutARequest_IsRecordedDenied()
    {
        var proxy = _harness.Start("web.test:80");
        using (await _harness.ConnectAsync())
        {
        }

        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal(("", 0, false), (record.Host, record.Port, record.Allowed));
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();
}
