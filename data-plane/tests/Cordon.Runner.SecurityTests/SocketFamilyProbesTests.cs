using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>
/// Issue 15.2: <c>socket</c>/<c>socketpair</c> are allowed for AF_UNIX, AF_INET and AF_INET6 only; every other
/// family (vsock reaches the hypervisor whatever the network namespace says) answers EAFNOSUPPORT. Creating the
/// socket must already fail: no probe ever connects anywhere.
/// </summary>
public sealed class SocketFamilyProbesTests
{
    /// <summary>
    /// The errno of a refused family. runsc (2022-12-19) applies the same filter inside the Sentry but ignores the
    /// profile's <c>errnoRet</c>, so every denial there answers EPERM: refused all the same, by the same rule.
    /// </summary>
    private static readonly string Refused = TestRuntime.IsRunsc ? "blocked EPERM" : "blocked EAFNOSUPPORT";

    [Fact]
    public async Task Socket_OfAFamilyOutsideUnixAndIp_FailsWithEafnosupport()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                // Controls: the three allowed families still work.
                int fds[2];
                printf("unix: %s\n", socket(AF_UNIX, SOCK_STREAM, 0) >= 0 ? "ok" : strerrorname_np(errno));
                printf("inet: %s\n", socket(AF_INET, SOCK_DGRAM, 0) >= 0 ? "ok" : strerrorname_np(errno));
                printf("inet6: %s\n", socket(AF_INET6, SOCK_STREAM, 0) >= 0 ? "ok" : strerrorname_np(errno));
                printf("unix-pair: %s\n", socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0 ? "ok" : strerrorname_np(errno));
                PROBE("vsock", socket(AF_VSOCK, SOCK_STREAM, 0));
                PROBE("vsock-dgram", socket(AF_VSOCK, SOCK_DGRAM, 0));
                PROBE("alg", socket(AF_ALG, SOCK_SEQPACKET, 0));
                PROBE("netlink", socket(AF_NETLINK, SOCK_RAW, 0 /* NETLINK_ROUTE */));
                PROBE("packet", socket(AF_PACKET, SOCK_RAW, 0));
                PROBE("unspec", socket(AF_UNSPEC, SOCK_STREAM, 0));
                PROBE("vsock-pair", socketpair(AF_VSOCK, SOCK_STREAM, 0, fds));
                PROBE("netlink-pair", socketpair(AF_NETLINK, SOCK_RAW, 0, fds));
                // The kernel reads the family as an int: set high bits must not smuggle AF_VSOCK (40) or
                // AF_UNIX past an exact match of the filter.
                PROBE("vsock-high-bits", syscall(SYS_socket, 0x100000000L | AF_VSOCK, (long)SOCK_STREAM, 0L));
                PROBE("unix-high-bits", syscall(SYS_socket, 0x100000000L | AF_UNIX, (long)SOCK_STREAM, 0L));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        foreach (var control in new[] { "unix", "inet", "inet6", "unix-pair" })
        {
            Assert.True(outcome.Line(control) == "ok", $"{control}: {outcome.Line(control)}\n{outcome}");
        }

        foreach (var probe in new[] { "vsock", "vsock-dgram", "alg", "netlink", "packet", "unspec", "vsock-pair", "netlink-pair", "vsock-high-bits", "unix-high-bits" })
        {
            Assert.True(outcome.Line(probe) == Refused, $"{probe}: {outcome.Line(probe)}\n{outcome}");
        }
    }

    [Fact]
    public async Task Socket_FromPython_KeepsWorkingForUnixAndIpAndRefusesVsock()
    {
        // The interpreters see the same filter: under runc a language runtime gets the errno it expects, not EPERM.
        var outcome = await Sandbox.RunAsync("python", """
            import errno, socket
            print("control: ok")
            a, b = socket.socketpair()
            a.sendall(b"x")
            print("unix-pair:", "ok" if b.recv(1) == b"x" else "broken")
            for name, family in [("vsock", socket.AF_VSOCK), ("netlink", socket.AF_NETLINK), ("packet", socket.AF_PACKET)]:
                try:
                    socket.socket(family, socket.SOCK_DGRAM if family != socket.AF_VSOCK else socket.SOCK_STREAM)
                    print(f"{name}: ESCAPED")
                except OSError as e:
                    print(f"{name}: blocked {errno.errorcode.get(e.errno, e.errno)}")
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("unix-pair"));
        Assert.Equal(Refused, outcome.Line("vsock"));
        Assert.Equal(Refused, outcome.Line("netlink"));
        Assert.Equal(Refused, outcome.Line("packet"));
    }
}
