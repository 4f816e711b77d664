using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>SECURITY.md §3.4: only loopback; no route anywhere; no raw or ICMP sockets. No packet leaves the sandbox.</summary>
public sealed class NetworkProbesTests
{
    [Fact]
    public async Task Interfaces_InTheSandbox_AreOnlyLoopback()
    {
        var outcome = await Sandbox.RunAsync("bash", """
            echo "control: ok"
            echo "interfaces: $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ' ')"
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("lo", outcome.Line("interfaces")?.Trim());
    }

    [Fact]
    public async Task OutboundConnections_ToAnyAddress_HaveNoRoute()
    {
        // Public, metadata and private destinations: with only `lo` there is no route, so connect fails at once.
        var outcome = await Sandbox.RunAsync("python", """
            import errno, socket
            print("control: ok")
            for name, addr in [("public", ("1.1.1.1", 80)), ("metadata", ("169.254.169.254", 80)),
                               ("private", ("10.0.0.1", 80)), ("ipv6", ("2606:4700:4700::1111", 80))]:
                family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
                s = socket.socket(family, socket.SOCK_STREAM)
                s.settimeout(3)
                try:
                    s.connect(addr)
                    print(f"{name}: ESCAPED")
                except OSError as e:
                    print(f"{name}: blocked {errno.errorcode.get(e.errno, e.errno)}")
            try:
                socket.getaddrinfo("example.com", 443)
                print("dns: ESCAPED")
            except OSError as e:
                print("dns: blocked")
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
            c = socket.create_connection(s.getsockname(), timeout=3)
            print("loopback:", "ok")
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("loopback"));
        foreach (var target in new[] { "public", "metadata", "private", "ipv6" })
        {
            var line = outcome.Line(target);
            Assert.True(line is "blocked ENETUNREACH" or "blocked EHOSTUNREACH" or "blocked EADDRNOTAVAIL", $"{target}: {line}\n{outcome}");
        }

        Assert.Equal("blocked", outcome.Line("dns"));
    }

    [Fact]
    public async Task HostUnixSockets_NoneVisibleNorReachable_OwnSocketsWork()
    {
        // Under runsc the runner passes --host-uds=open (a sandbox's egress proxy is a host socket bound into it):
        // with no egress, no host socket may be anywhere in the sandbox's tree, and the well-known host paths
        // (the runner's, the runtime's, D-Bus, systemd) do not exist there.
        var outcome = await Sandbox.RunAsync("python", """
            import socket, subprocess
            # find reads the file type from the directory entries: fast enough to walk /usr under gVisor's ptrace.
            found = subprocess.run(["find", "/", "(", "-path", "/proc", "-o", "-path", "/sys", ")", "-prune", "-o", "-type", "s", "-print"],
                                   capture_output=True, text=True).stdout.split()
            print("sockets:", found)
            for path in ["/run/cordon-runner/runner.sock", "/run/containerd/containerd.sock", "/run/dbus/system_bus_socket", "/run/systemd/private", "/var/run/docker.sock"]:
                s = socket.socket(socket.AF_UNIX)
                try:
                    s.connect(path)
                    print(f"{path}: ESCAPED")
                except OSError as e:
                    print(f"{path}: blocked")
            own = socket.socket(socket.AF_UNIX); own.bind("/tmp/own.sock"); own.listen()
            c = socket.socket(socket.AF_UNIX); c.connect("/tmp/own.sock")
            print("control: ok")
            """, TestContext.Current.CancellationToken, timeoutMs: 90_000); // the walk of /usr takes gVisor's ptrace platform a while

        Assert.True(outcome.Line("control") == "ok", outcome.ToString());
        Assert.Equal("[]", outcome.Line("sockets"));
        foreach (var path in new[] { "/run/cordon-runner/runner.sock", "/run/containerd/containerd.sock", "/run/dbus/system_bus_socket", "/run/systemd/private", "/var/run/docker.sock" })
        {
            Assert.True(outcome.Line(path) == "blocked", $"{path}: {outcome.Line(path)}\n{outcome}");
        }
    }

    [Fact]
    public async Task RawAndIcmpSockets_FromTheJob_AreRefused()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                PROBE("raw-socket", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
                PROBE("icmp-dgram", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
                PROBE("packet-socket", socket(17 /* AF_PACKET */, SOCK_RAW, 0));
                printf("udp-socket: %s\n", socket(AF_INET, SOCK_DGRAM, 0) >= 0 ? "ok" : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("udp-socket"));
        Assert.Equal("blocked EPERM", outcome.Line("raw-socket"));
        if (TestRuntime.IsRunsc)
        {
            // The Sentry has no ping_group_range check: the filter refuses ICMP datagram sockets (Oci/RunscBundle),
            // and this runsc's filter answers every denial with EPERM (it ignores errnoRet).
            Assert.Equal("blocked EPERM", outcome.Line("icmp-dgram"));
            Assert.Equal("blocked EPERM", outcome.Line("packet-socket"));
        }
        else
        {
            Assert.Equal("blocked EACCES", outcome.Line("icmp-dgram"));
            Assert.Equal("blocked EAFNOSUPPORT", outcome.Line("packet-socket")); // the seccomp family filter answers before CAP_NET_RAW is checked
        }
    }
}
