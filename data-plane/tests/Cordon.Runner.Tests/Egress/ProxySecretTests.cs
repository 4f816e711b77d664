using System.Security.Cryptography;
using System.Text;
using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport.Egress;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.Runner.Tests.Egress;

/// <summary>
/// Secrets by proxy substitution, from inside real sandboxes: the program holds only a placeholder; curl and python
/// send it in an Authorization header; the test's HTTPS server (answering header digests, so not even its reply shows
/// the value) received the real value through the runner's TLS termination. A second allowed host gets only the
/// placeholder, and the plain-HTTP attempt is reported as a leak; the value is nowhere in the sandbox or the runner's disk.
/// </summary>
public sealed class ProxySecretTests(EgressRunner stack) : IClassFixture<EgressRunner>
{
    private const string Placeholder = "cordon-ph-5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0";

    private static readonly string[] Allowlist = [$"{EgressNames.Public}:443", $"{EgressNames.Other}:443", $"{EgressNames.Other}:80"];

    private const string Probe = """
        import hashlib, json, os, subprocess, urllib.request
        token = os.environ["API_TOKEN"]
        auth = "Bearer " + token
        print("env:", token)
        print("trust:", os.environ.get("SSL_CERT_FILE"), os.environ.get("REQUESTS_CA_BUNDLE"), os.environ.get("NODE_EXTRA_CA_CERTS"))
        def seen(body):
            return dict(json.loads(body)["headers"]).get("Authorization")
        def curl(*args):
            r = subprocess.run(["curl", "-sS", "--max-time", "20", "-H", "Authorization: " + auth, *args], capture_output=True, text=True)
            return r.stdout if r.returncode == 0 else f"curl failed {r.returncode}: {r.stderr}"
        print("curl-listed:", seen(curl("https://public.test/digest/curl")))
        request = urllib.request.Request("https://public.test/digest/urllib", headers={"Authorization": auth})
        print("urllib-listed:", seen(urllib.request.urlopen(request, timeout=20).read()))
        try:
            import requests
            print("requests-listed:", seen(requests.get("https://public.test/digest/requests", headers={"Authorization": auth}, timeout=20).text))
        except ImportError:
            print("requests-listed: absent")
        print("curl-other-https:", seen(curl("--cacert", "ca.pem", "https://other.test/digest/other")))
        print("curl-other-http:", seen(curl("http://other.test/digest/other")))
        print("body-stays:", json.loads(curl("-d", token, "https://public.test/digest/body"))["body"] == token)
        with open("env.txt", "w") as f:
            f.write(open("/proc/self/environ").read())
        print("environ-placeholders:", open("env.txt").read().count(token))
        print("secrets-dir:", sorted(os.listdir("/run/secrets")))
        print("ca-files:", sorted(os.listdir("/etc/ssl/certs")))
        """;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProxySecret_ListedHostGetsTheValue_SandboxAndOtherHostsOnlyThePlaceholder()
    {
        var value = "tok-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var secret = new Secret
        {
            Name = "API_TOKEN",
            Value = ByteString.CopyFromUtf8(value),
            Proxy = true,
            Placeholder = Placeholder,
            Hosts = { $"{EgressNames.Public}:443" },
        };

        var outcome = await stack.RunAsync("python", Probe, Allowlist, Ct, secrets: [secret]);

        var expected = Digest("Bearer " + value);
        Assert.True(outcome.Line("env") == Placeholder, outcome.ToString());
        Assert.Equal("/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/cordon-egress-ca.crt", outcome.Line("trust"));
        Assert.Equal(expected, outcome.Line("curl-listed"));
        Assert.Equal(expected, outcome.Line("urllib-listed"));
        Assert.True(outcome.Line("requests-listed") is "absent" || outcome.Line("requests-listed") == expected, outcome.ToString());
        Assert.Equal(Digest("Bearer " + Placeholder), outcome.Line("curl-other-https"));
        Assert.Equal(Digest("Bearer " + Placeholder), outcome.Line("curl-other-http"));
        Assert.Equal("True", outcome.Line("body-stays"));
        Assert.Equal("1", outcome.Line("environ-placeholders"));
        Assert.Equal("[]", outcome.Line("secrets-dir"));
        Assert.Equal("['ca-certificates.crt', 'cordon-egress-ca.crt']", outcome.Line("ca-files"));
        Assert.DoesNotContain(value, outcome.Stdout + outcome.Stderr, StringComparison.Ordinal);

        var ended = outcome.Result.Network.Ended;
        var listed = ended.Where(c => c is { Host: EgressNames.Public, Port: 443 }).ToList();
        Assert.True(listed.Count >= 3 && listed.All(c => c.Allowed && c.SecretsUsed.SequenceEqual(["API_TOKEN"]) && c.PlaceholderLeaks.Count == 0), string.Join('\n', ended));
        var leak = Assert.Single(ended, c => c is { Host: EgressNames.Other, Port: 80 });
        Assert.Equal(["API_TOKEN"], leak.PlaceholderLeaks);
        Assert.Empty(leak.SecretsUsed);
        // A tunnel the proxy does not open shows it nothing: no substitution, nothing to report.
        var tunnel = Assert.Single(ended, c => c is { Host: EgressNames.Other, Port: 443 });
        Assert.Equal((0, 0), (tunnel.SecretsUsed.Count, tunnel.PlaceholderLeaks.Count));
        AssertNotOnDisk(stack.Runner.DataDirectory, value);
    }

    [Fact]
    public async Task ProxySecret_SandboxTrustingOnlyItsOwnCa_CannotReachTheListedHost()
    {
        var secret = new Secret
        {
            Name = "API_TOKEN",
            Value = ByteString.CopyFromUtf8("tok-never"),
            Proxy = true,
            Placeholder = Placeholder,
            Hosts = { $"{EgressNames.Public}:443" },
        };

        // --cacert with the real server's CA: the proxy's leaf is not signed by it, so the handshake fails.
        var outcome = await stack.RunAsync("bash", "curl -sS --max-time 20 --cacert ca.pem https://public.test/ >/dev/null 2>&1; echo \"code: $?\"", Allowlist, Ct, secrets: [secret]);

        Assert.True(outcome.Line("code") == "60", outcome.ToString());
    }

    [Theory]
    [InlineData("other.test:8443", "not in the sandbox's egress")]
    [InlineData("*.public.test:443", "not host:port")]
    public async Task ProxySecret_HostOutsideTheAllowlist_SandboxRefused(string host, string reason)
    {
        var secret = new Secret { Name = "API_TOKEN", Value = ByteString.CopyFromUtf8("v"), Proxy = true, Placeholder = Placeholder, Hosts = { host } };

        var error = await Assert.ThrowsAsync<RpcException>(() => stack.RunAsync("bash", "echo ran", Allowlist, Ct, secrets: [secret]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(reason, error.Status.Detail, StringComparison.Ordinal);
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.Latin1.GetBytes(text)));

    /// <summary>Every regular file the runner keeps (its state, logs, trust files): the value is in none of them.</summary>
    private static void AssertNotOnDisk(string directory, string value)
    {
        var needle = Encoding.UTF8.GetBytes(value);
        foreach (var path in Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is null && info.Length is > 0 and < 64 * 1024 * 1024 && !path.Contains("/rootfs/", StringComparison.Ordinal))
            {
                byte[] bytes;
                try
                {
                    bytes = System.IO.File.ReadAllBytes(path);
                }
                catch (IOException)
                {
                    continue; // a socket or a file gone meanwhile
                }

                Assert.False(bytes.AsSpan().IndexOf(needle) >= 0, $"{path} holds the secret's value");
            }
        }
    }
}
