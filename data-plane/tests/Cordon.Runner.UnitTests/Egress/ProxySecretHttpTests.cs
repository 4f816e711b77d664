using System.Text;
using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>
/// Proxy secrets on plain HTTP: a request to the secret's host has the placeholder replaced in its forwarded head; a
/// request to another allowed host keeps the placeholder and its record names the leak; so does a refused one.
/// </summary>
public sealed class ProxySecretHttpTests : IAsyncDisposable
{
    private const string Placeholder = "cordon-ph-ffeeddccbbaa99887766554433221100";
    private const string Value = "value-1234";
    private readonly EgressHarness _harness = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Http_ListedHost_Substituted_OtherHostLeakRecorded()
    {
        await using var upstream = LoopbackUpstream.Http();
        var secrets = new ProxySecrets([new ProxySecret("API_TOKEN", Placeholder, Encoding.UTF8.GetBytes(Value), [Rule($"echo.test:{upstream.Port}")])]);
        var proxy = _harness.Start(secrets, $"echo.test:{upstream.Port}", $"web.test:{upstream.Port}");

        using (var client = await _harness.ConnectAsync())
        {
            var reply = await client.ExchangeAsync($"GET http://echo.test:{upstream.Port}/a?k={Placeholder} HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\nAuthorization: Bearer {Placeholder}\r\n\r\n", _ct);
            Assert.Equal(200, reply.Status);
        }

        using (var client = await _harness.ConnectAsync())
        {
            var reply = await client.ExchangeAsync($"GET http://web.test:{upstream.Port}/b HTTP/1.1\r\nHost: web.test:{upstream.Port}\r\nAuthorization: Bearer {Placeholder}\r\n\r\n", _ct);
            Assert.Equal(200, reply.Status);
        }

        using (var client = await _harness.ConnectAsync())
        {
            var reply = await client.ExchangeAsync($"GET http://internal.test/c HTTP/1.1\r\nX-Token: {Placeholder}\r\n\r\n", _ct);
            Assert.Equal(403, reply.Status);
        }

        var heads = upstream.Heads.ToArray();
        Assert.Equal(2, heads.Length);
        Assert.Contains($"GET /a?k={Placeholder} HTTP/1.1\r\n", heads[0], StringComparison.Ordinal);
        Assert.Contains($"Authorization: Bearer {Value}\r\n", heads[0], StringComparison.Ordinal);
        Assert.Contains($"Authorization: Bearer {Placeholder}\r\n", heads[1], StringComparison.Ordinal);
        var records = await EgressHarness.RecordsAsync(proxy, 3);
        var listed = Assert.Single(records, r => r.Host == "echo.test");
        Assert.Equal(["API_TOKEN"], listed.SecretsUsed);
        Assert.Empty(listed.PlaceholderLeaks);
        Assert.All(records.Where(r => r.Host != "echo.test"), r => Assert.Equal(["API_TOKEN"], r.PlaceholderLeaks));
        Assert.All(records.Where(r => r.Host != "echo.test"), r => Assert.Empty(r.SecretsUsed));
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private static EgressRule Rule(string text) => EgressRule.TryParse(text, out var rule, out var problem) ? rule : throw new ArgumentException(problem);
}
