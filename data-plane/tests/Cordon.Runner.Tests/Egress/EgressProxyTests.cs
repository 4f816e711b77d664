using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport.Egress;

namespace Cordon.Runner.Tests.Egress;

/// <summary>
/// Egress through the runner's proxy, from inside real sandboxes to a test network's servers (curl, python urllib,
/// node http and https): the allowlisted destinations answer, and every other host, port, IP literal in any form,
/// name resolving to a private, loopback, metadata or the runner's own address, and spoofed Host header is refused
/// by the proxy with an HTTP error; direct connects and DNS still fail; every connection is reported.
/// </summary>
public sealed class EgressProxyTests(EgressRunner stack) : IClassFixture<EgressRunner>
{
    // Names that resolve to refused addresses are in the allowlist, so only the address check can refuse them.
    private static readonly string[] Allowlist =
    [
        $"{EgressNames.Public}:80", $"{EgressNames.Public}:443", $"{EgressNames.Private}:80", $"{EgressNames.Loopback}:80",
        $"{EgressNames.Metadata}:80", $"{EgressNames.Own}:80", $"{EgressNames.Mixed}:80", $"{EgressNames.SharedSpace}:80",
        $"{EgressNames.UniqueLocal}:80",
    ];

    private const string CurlProbe = """
        import json, os, socket, subprocess
        def curl(*args):
            r = subprocess.run(["curl", "-s", "-o", "body", "-D", "head", "-w", "%{http_code} %{http_connect}", "--max-time", "20", *args], capture_output=True, text=True)
            denied = "denied" if "x-cordon-egress: denied" in open("head").read().lower() else "-"
            return f"{r.returncode} {r.stdout} {denied}"
        print("control: ok")
        print("proxy-env:", os.environ.get("http_proxy"), os.environ.get("HTTPS_PROXY"), os.environ.get("NO_PROXY"))
        print("http:", curl("http://public.test/hello?x=1"))
        body = json.load(open("body"))
        print("http-seen:", body["server"], body["target"], dict(body["headers"]).get("Host"))
        print("https:", curl("--cacert", "ca.pem", "https://public.test/secure"))
        print("https-seen:", json.load(open("body"))["server"])
        print("other-host:", curl("http://other.test/"))
        print("other-port:", curl("http://public.test:8080/"))
        print("other-host-https:", curl("--cacert", "ca.pem", "https://other.test/"))
        for name in ["private", "loopback", "metadata", "own", "mixed", "cgnat", "ula"]:
            print(f"{name}:", curl(f"http://{name}.test/"))
        print("ip-dotted:", curl("http://SERVER/"))
        print("ip-decimal:", curl("http://DECIMAL/"))
        print("ip-hex:", curl("http://HEX/"))
        print("ip-octal:", curl("http://OCTAL/"))
        print("ip-connect:", curl("-k", "https://SERVER/"))
        print("ip-mapped:", curl("-g", "http://[::ffff:SERVER]/"))
        print("spoofed-host:", curl("-H", "Host: other.test", "http://public.test/"))
        try:
            socket.create_connection(("SERVER", 80), timeout=3)
            print("direct: ESCAPED")
        except OSError as e:
            print("direct: blocked", e.errno)
        try:
            socket.getaddrinfo("public.test", 80)
            print("dns: ESCAPED")
        except OSError as e:
            print("dns: none")
        print("egress-dir:", sorted(os.listdir("/run/cordon-egress")))
        """;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Curl_AllowedAnswerEverythingElseRefusedByTheProxy_AndReported()
    {
        var server = stack.Network.ServerAddress;
        var octets = server.Split('.').Select(int.Parse).ToArray();
        var code = CurlProbe
            .Replace("DECIMAL", ((long)octets[0] << 24 | (long)octets[1] << 16 | (long)octets[2] << 8 | (uint)octets[3]).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("HEX", string.Join('.', octets.Select(o => "0x" + o.ToString("x", System.Globalization.CultureInfo.InvariantCulture))), StringComparison.Ordinal)
            .Replace("OCTAL", string.Join('.', octets.Select(o => "0" + Convert.ToString(o, 8))), StringComparison.Ordinal)
            .Replace("SERVER", server, StringComparison.Ordinal);

        var outcome = await stack.RunAsync("python", code, Allowlist, Ct);

        Assert.True(outcome.Line("control") == "ok", outcome.ToString());
        Assert.Equal("http://127.0.0.1:3128 http://127.0.0.1:3128 localhost,127.0.0.1", outcome.Line("proxy-env"));
        Assert.Equal("0 200 000 -", outcome.Line("http"));
        Assert.Equal("http /hello?x=1 public.test", outcome.Line("http-seen"));
        Assert.Equal("0 200 200 -", outcome.Line("https"));
        Assert.Equal("https", outcome.Line("https-seen"));
        foreach (var refused in new[] { "other-host", "other-port", "private", "loopback", "metadata", "own", "mixed", "cgnat", "ula", "ip-dotted", "ip-decimal", "ip-hex", "ip-octal", "ip-mapped", "spoofed-host" })
        {
            Assert.True(outcome.Line(refused) == "0 403 000 denied", $"{refused}: {outcome.Line(refused)}\n{outcome}");
        }

        foreach (var refusedTunnel in new[] { "other-host-https", "ip-connect" })
        {
            Assert.True(outcome.Line(refusedTunnel) is { } line && line.EndsWith(" 403 denied", StringComparison.Ordinal) && !line.StartsWith("0 ", StringComparison.Ordinal), $"{refusedTunnel}: {outcome.Line(refusedTunnel)}\n{outcome}");
        }

        Assert.StartsWith("blocked", outcome.Line("direct"), StringComparison.Ordinal);
        Assert.Equal("none", outcome.Line("dns"));
        Assert.Equal("['proxy.sock']", outcome.Line("egress-dir"));

        var network = outcome.Result.Network;
        Assert.NotNull(network);
        var allowed = network.Ended.Where(c => c.Allowed).ToList();
        Assert.Equal(2, allowed.Count);
        Assert.All(allowed, c => Assert.Equal((EgressNames.Public, server), (c.Host, c.Address)));
        Assert.Contains(allowed, c => c is { Port: 443, Rule: "public.test:443" } && c.BytesIn > 500 && c.BytesOut > 100);
        Assert.Equal(17, network.Ended.Count(c => !c.Allowed));
        Assert.Equal((19L, 17L), (network.Connections, network.Denied));
        var metadata = Assert.Single(network.Ended, c => c.Host == EgressNames.Metadata);
        Assert.Equal("169.254.169.254", metadata.Address);
        Assert.Contains("link-local", metadata.Reason, StringComparison.Ordinal);
        Assert.Contains("own address", Assert.Single(network.Ended, c => c.Host == EgressNames.Own).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonAndNode_ReachTheAllowedHostOverHttpAndHttps()
    {
        var python = await stack.RunAsync("python", """
            import json, ssl, urllib.request, urllib.error
            print("control: ok")
            print("http:", json.load(urllib.request.urlopen("http://public.test/py", timeout=20))["target"])
            tls = ssl.create_default_context(cafile="ca.pem")
            print("https:", json.load(urllib.request.urlopen("https://public.test/py", timeout=20, context=tls))["server"])
            try:
                urllib.request.urlopen("http://other.test/", timeout=20)
            except urllib.error.HTTPError as e:
                print("other:", e.code, e.headers.get("X-Cordon-Egress"))
            """, [$"{EgressNames.Public}:80", $"{EgressNames.Public}:443"], Ct);

        Assert.True(python.Line("control") == "ok", python.ToString());
        Assert.Equal("/py", python.Line("http"));
        Assert.Equal("https", python.Line("https"));
        Assert.Equal("403 denied", python.Line("other"));

        // Node 20 reads no proxy variables itself (its fetch and https take an agent): a program does what an
        // agent does — an absolute-URI request to the proxy, and TLS through a CONNECT tunnel.
        var node = await stack.RunAsync("javascript", """
            const http = require('http'), tls = require('tls'), fs = require('fs');
            const proxy = new URL(process.env.HTTPS_PROXY);
            console.log('control: ok');
            http.get({ host: proxy.hostname, port: proxy.port, path: 'http://public.test/node', headers: { Host: 'public.test' } }, res => {
              let body = ''; res.on('data', d => body += d); res.on('end', () => {
                console.log('http: ' + JSON.parse(body).target);
                const connect = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: 'public.test:443' });
                connect.on('connect', (answer, socket) => {
                  const secure = tls.connect({ socket, servername: 'public.test', ca: fs.readFileSync('ca.pem') }, () => {
                    secure.write('GET /tunnel HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\n\r\n');
                  });
                  let reply = ''; secure.on('data', d => reply += d); secure.on('end', () => {
                    console.log('https: ' + JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).target);
                  });
                });
                connect.end();
              });
            });
            """, [$"{EgressNames.Public}:80", $"{EgressNames.Public}:443"], Ct);

        Assert.True(node.Line("control") == "ok", node.ToString());
        Assert.True(node.Line("http") == "/node", node.ToString());
        Assert.True(node.Line("https") == "/tunnel", node.ToString());
    }

    [Fact]
    public async Task NoEgress_NoProxyAndNoWayOut()
    {
        var outcome = await stack.RunAsync("python", """
            import os, socket
            print("control: ok")
            print("proxy-env:", os.environ.get("http_proxy"))
            try:
                socket.create_connection(("127.0.0.1", 3128), timeout=3)
                print("proxy-port: OPEN")
            except OSError as e:
                print("proxy-port: closed")
            print("egress-dir:", os.listdir("/run/cordon-egress"))
            """, [], Ct);

        Assert.True(outcome.Line("control") == "ok", outcome.ToString());
        Assert.Equal("None", outcome.Line("proxy-env"));
        Assert.Equal("closed", outcome.Line("proxy-port"));
        Assert.Equal("[]", outcome.Line("egress-dir"));
        Assert.Null(outcome.Result.Network);
    }

    [Fact]
    public async Task Session_EachExecReportsTheConnectionsThatEndedInIt()
    {
        var runner = stack.Runner;
        var sandbox = await runner.Client.CreateSandboxAsync(
            new CreateSandboxRequest { Tenant = "egress", Language = "bash", Egress = { $"{EgressNames.Public}:80" } }, runner.Auth, cancellationToken: Ct);
        try
        {
            var first = await ExecAsync(sandbox.SandboxId, "curl -s -o /dev/null -w '%{http_code}' http://public.test/one; curl -s -o /dev/null -w ' %{http_code}' http://other.test/");
            var second = await ExecAsync(sandbox.SandboxId, "curl -s -o /dev/null -w '%{http_code}' http://public.test/two");

            Assert.True(first.Stdout == "200 403", first.ToString());
            // In the order they ended, which need not be the order they began.
            Assert.Equal([(EgressNames.Other, false), (EgressNames.Public, true)], first.Result.Network.Ended.Select(c => (c.Host, c.Allowed)).Order());
            Assert.Equal("200", second.Stdout);
            var only = Assert.Single(second.Result.Network.Ended);
            Assert.True(only.Allowed && only.BytesIn > 0, second.ToString());
            Assert.Equal((3L, 1L), (second.Result.Network.Connections, second.Result.Network.Denied)); // the sandbox's totals
        }
        finally
        {
            await runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = sandbox.SandboxId }, runner.Auth, cancellationToken: Ct);
        }
    }

    private async Task<JobOutcome> ExecAsync(string sandboxId, string command)
    {
        using var call = stack.Runner.Client.Exec(new ExecRequest { SandboxId = sandboxId, Mode = ExecMode.Command, Text = command }, stack.Runner.Auth, cancellationToken: Ct);
        return await JobOutcome.ReadAsync(call, Ct);
    }
}
