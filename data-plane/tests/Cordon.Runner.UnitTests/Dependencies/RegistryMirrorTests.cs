using System.Net.Sockets;
using System.Text;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Dependencies;
using Cordon.TestSupport;
using Cordon.TestSupport.Packages;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordon.Runner.UnitTests.Dependencies;

/// <summary>
/// The registry mirror on a real Unix socket in front of a real test registry, spoken to as pip and npm would —
/// and as a program trying to get around it would: CONNECT, absolute URLs, made-up and tampered download links,
/// packages and versions off the allowlist.
/// </summary>
public sealed class RegistryMirrorTests : IAsyncLifetime
{
    private readonly TestPackageRegistry _registry = TestPackageRegistry.WithTestPackages();
    private readonly string _directory = Directory.CreateTempSubdirectory("cordon-mirror-").FullName;
    private RegistryClient _client = null!;
    private DependencyOptions _options = null!;
    private RegistryHosts _hosts = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _options = new DependencyOptions { PythonIndexUrl = _registry.PythonIndexUrl, NpmRegistryUrl = _registry.NpmRegistryUrl };
        _hosts = new RegistryHosts(_options);
        _client = new RegistryClient(_options, _hosts);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task PythonPage_ListsOnlyAdmittedWheelsThroughSignedLinks()
    {
        await using var mirror = Start("python", ("cordon-greet", "<2"));

        var page = await GetAsync(mirror, "GET /pypi/simple/cordon-greet/ HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", page, StringComparison.Ordinal);
        Assert.Contains("cordon_greet-1.0.0-py3-none-any.whl", page, StringComparison.Ordinal);
        Assert.DoesNotContain("2.0.0", page, StringComparison.Ordinal);
        Assert.DoesNotContain(_registry.Url, page, StringComparison.Ordinal);
        Assert.Contains("#sha256=", page, StringComparison.Ordinal);
        Assert.Equal(["cordon-greet"], mirror.Narrowed);
    }

    [Fact]
    public async Task SignedLink_Downloads_TamperedOrMadeUpLink_Refused()
    {
        await using var mirror = Start("python", ("cordon-greet", ""));
        var page = await GetAsync(mirror, "GET /pypi/simple/cordon-greet/ HTTP/1.1\r\n\r\n");
        var link = page[(page.IndexOf("/pypi/files/", StringComparison.Ordinal))..];
        link = link[..link.IndexOf('#', StringComparison.Ordinal)];
        var token = link.Split('/')[3];
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes(_registry.Url + "files/cordon_evil-1.0.0-py3-none-any.whl")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var good = await GetAsync(mirror, $"GET {link} HTTP/1.1\r\n\r\n");
        var tampered = await GetAsync(mirror, $"GET /pypi/files/{forged}.{token.Split('.')[1]}/cordon_evil-1.0.0-py3-none-any.whl HTTP/1.1\r\n\r\n");
        var unsigned = await GetAsync(mirror, $"GET /pypi/files/{forged}/x.whl HTTP/1.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", good, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403", tampered, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403", unsigned, StringComparison.Ordinal);
        Assert.False(_registry.WasAskedFor("cordon_evil"));
    }

    [Theory]
    [InlineData("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n", "403")]
    [InlineData("GET http://evil.test/x HTTP/1.1\r\nHost: evil.test\r\n\r\n", "403")]
    [InlineData("GET /pypi/simple/cordon-evil/ HTTP/1.1\r\n\r\n", "403")]
    [InlineData("GET /npm/cordon-greet HTTP/1.1\r\n\r\n", "404")]
    [InlineData("POST /pypi/simple/cordon-greet/ HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "405")]
    [InlineData("GET /etc/passwd HTTP/1.1\r\n\r\n", "404")]
    [InlineData("\u0016\u0003\u0001garbage\r\n\r\n", "400")]
    public async Task AnythingButTheAllowlistedRegistry_Refused(string request, string status)
    {
        await using var mirror = Start("python", ("cordon-greet", ""));
        var before = _registry.Requests.Count;

        var answer = await GetAsync(mirror, request);

        Assert.StartsWith("HTTP/1.1 " + status, answer, StringComparison.Ordinal);
        Assert.Equal(before, _registry.Requests.Count);
    }

    [Fact]
    public async Task NpmDocument_KeepsAdmittedVersions_LatestMovedAndTarballsThroughTheMirror()
    {
        await using var mirror = Start("javascript", ("cordon-greet", "<1.2.0"));

        var answer = await GetAsync(mirror, "GET /npm/cordon-greet HTTP/1.1\r\nAccept: application/json\r\n\r\n");
        var json = System.Text.Json.Nodes.JsonNode.Parse(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!;

        Assert.Equal(["1.0.0"], json["versions"]!.AsObject().Select(v => v.Key));
        Assert.Equal("1.0.0", (string?)json["dist-tags"]!["latest"]);
        Assert.StartsWith("http://127.0.0.1:3128/npm/-/files/", (string?)json["versions"]!["1.0.0"]!["dist"]!["tarball"], StringComparison.Ordinal);
        Assert.NotNull(json["versions"]!["1.0.0"]!["dist"]!["integrity"]);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private RegistryMirror Start(string ecosystem, params (string Name, string Constraint)[] rules)
    {
        var allowlist = PackageAllowlist.Parse(ecosystem, rules.Select(r => new PackageRule { Name = r.Name, Constraint = r.Constraint }));
        var mirror = new RegistryMirror(allowlist, _options, _hosts, _client, TimeProvider.System, NullLogger.Instance);
        mirror.Start(Path.Combine(_directory, Guid.NewGuid().ToString("N")[..8] + ".sock"));
        return mirror;
    }

    private static async Task<string> GetAsync(RegistryMirror mirror, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(mirror.SocketPath), Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, Token);
        var answer = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, Token)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }
}
