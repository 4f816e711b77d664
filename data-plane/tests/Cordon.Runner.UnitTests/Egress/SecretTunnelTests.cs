using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>
/// A CONNECT to a proxy secret's host, over real sockets and TLS on both sides: the client trusts only the runner's CA,
/// the proxy verifies the real host (its CA given as <c>UpstreamCaFile</c>), and requests on one kept-alive connection
/// arrive at the host with the value in place of the placeholder.
/// </summary>
public sealed class SecretTunnelTests : IAsyncDisposable
{
    private const string Placeholder = "cordon-ph-00112233445566778899aabbccddeeff";
    private const string Value = "value-9f8e";
    private readonly EgressHarness _harness = new();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("cordon-tunnel-");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_ListedHost_KeepAliveRequestsSubstituted_ResponsesRelayed()
    {
        await using var upstream = new TlsKeepAliveUpstream(_directory.FullName, "echo.test");
        _harness.Options.UpstreamCaFile = upstream.CaFile;
        _harness.Options.IdleTimeoutSeconds = 5;
        var proxy = _harness.Start(Secrets(upstream.Port), $"echo.test:{upstream.Port}");
        await using var tls = await ConnectAsync(upstream.Port);

        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /one HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\nAuthorization: Bearer {Placeholder}\r\n\r\n"), _ct);
        var first = await ReadResponseAsync(tls);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /two HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\nX-Api-Key: {Placeholder}\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n"), _ct);
        var second = await ReadResponseAsync(tls);

        Assert.Equal(("response 1", "response 2"), (first, second));
        var requests = upstream.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Contains($"Authorization: Bearer {Value}\n", requests[0], StringComparison.Ordinal);
        Assert.Contains($"X-Api-Key: {Value}\n", requests[1], StringComparison.Ordinal);
        Assert.EndsWith("\nbody", requests[1], StringComparison.Ordinal);
        Assert.DoesNotContain(Placeholder, string.Concat(requests), StringComparison.Ordinal);
        tls.Close();
        var record = Assert.Single(await EgressHarness.RecordsAsync(proxy, 1));
        Assert.Equal(["API_TOKEN"], record.SecretsUsed);
        Assert.Empty(record.PlaceholderLeaks);
        Assert.True(record.BytesOut > 100 && record.BytesIn > 50, $"{record}");
    }

    [Fact]
    public async Task Connect_HostHeaderNamingAnotherHost_403OverTheTerminatedTls()
    {
        await using var upstream = new TlsKeepAliveUpstream(_directory.FullName, "echo.test");
        _harness.Options.UpstreamCaFile = upstream.CaFile;
        _harness.Start(Secrets(upstream.Port), $"echo.test:{upstream.Port}");
        await using var tls = await ConnectAsync(upstream.Port);

        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: web.test\r\nAuthorization: Bearer {Placeholder}\r\n\r\n"), _ct);
        var reply = await new StreamReader(tls).ReadToEndAsync(_ct);

        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", reply, StringComparison.Ordinal);
        Assert.Contains("Host header does not match", reply, StringComparison.Ordinal);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Connect_HostWithAnUntrustedCertificate_502BeforeTheTunnel()
    {
        await using var upstream = new TlsKeepAliveUpstream(_directory.FullName, "echo.test");
        _harness.Start(Secrets(upstream.Port), $"echo.test:{upstream.Port}");
        using var client = await _harness.ConnectAsync();

        await client.SendAsync($"CONNECT echo.test:{upstream.Port} HTTP/1.1\r\nHost: echo.test:{upstream.Port}\r\n\r\n", _ct);
        var head = await client.ReadHeadAsync(_ct);

        Assert.StartsWith("HTTP/1.1 502 ", head, StringComparison.Ordinal);
        Assert.Contains("failed verification", await client.ReadToEndAsync(_ct), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private static ProxySecrets Secrets(int port) => new(
    [
        new ProxySecret("API_TOKEN", Placeholder, Encoding.UTF8.GetBytes(Value),
            [EgressRule.TryParse($"echo.test:{port}", out var rule, out var problem) ? rule : throw new ArgumentException(problem)]),
    ]);

    /// <summary>CONNECT, then TLS trusting only the runner's CA, as a sandbox with the trust files would.</summary>
    private async Task<SslStream> ConnectAsync(int port)
    {
        var client = await _harness.ConnectAsync();
        await client.SendAsync($"CONNECT echo.test:{port} HTTP/1.1\r\nHost: echo.test:{port}\r\n\r\n", _ct);
        Assert.StartsWith("HTTP/1.1 200 ", await client.ReadHeadAsync(_ct), StringComparison.Ordinal);
        var ca = X509Certificate2.CreateFromPem(_harness.Authority!.CertificatePem);
        var tls = new SslStream(new System.Net.Sockets.NetworkStream(client.Socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "echo.test",
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
            },
            _ct);
        return tls;
    }

    private async Task<string> ReadResponseAsync(SslStream tls)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (!Encoding.ASCII.GetString([.. bytes]).EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await tls.ReadAsync(one, _ct));
            bytes.Add(one[0]);
        }

        var head = Encoding.ASCII.GetString([.. bytes]);
        var length = int.Parse(head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.Ordinal))[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[length];
        await tls.ReadExactlyAsync(body, _ct);
        return Encoding.ASCII.GetString(body);
    }
}
