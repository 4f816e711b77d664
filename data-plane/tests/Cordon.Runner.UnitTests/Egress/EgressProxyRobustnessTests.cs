namespace Cordon.Runner.UnitTests.Egress;

/// <summary>Whatever bytes a client sends, each connection ends with a record and the proxy keeps serving.</summary>
public sealed class EgressProxyRobustnessTests : IAsyncDisposable
{
    private readonly EgressHarness _harness = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connection_RandomBytes_EachEndsRecordedAndTheProxyServesOn()
    {
        await using var upstream = LoopbackUpstream.Echo();
        _harness.Options.HeaderTimeoutSeconds = 2;
        var proxy = _harness.Start($"echo.test:{upstream.Port}");
        var random = new Random(2400);
        string[] prefixes = ["", "CONNECT ", "GET http://", $"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n", "GET http://echo.test/ HTTP/1.1\r\nHost: "];
        const int Clients = 40;

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async i =>
        {
            byte[] noise;
            lock (random)
            {
                noise = new byte[random.Next(1, 600)];
                random.NextBytes(noise);
            }

            using var client = await _harness.ConnectAsync();
            await client.SendAsync([.. System.Text.Encoding.Latin1.GetBytes(prefixes[i % prefixes.Length]), .. noise, .. "\r\n\r\n"u8], _ct);
            client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            await client.ReadToEndAsync(_ct);
        }));

        var records = await EgressHarness.RecordsAsync(proxy, Clients);
        Assert.All(records, r => Assert.False(r.Allowed));
        using var last = await _harness.ConnectAsync();
        await last.SendAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\n\r\nstill", _ct);
        Assert.Equal("HTTP/1.1 200 Connection Established\r\n\r\n", await last.ReadHeadAsync(_ct));
        Assert.Equal("still", await last.ReadExactlyAsync(5, _ct));
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();
}
