using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Tests;

/// <summary>
/// Hostile probes from inside a sandbox. Each prints a control marker (it ran) and a distinct marker for the
/// outcome, so a crash or a missing interpreter can never pass for "blocked".
/// </summary>
public sealed class IsolationTests(RunnerFixture runner) : RunnerTestBase(runner)
{
    [Fact]
    public async Task RunJob_Network_TcpAndDnsFail()
    {
        var code = """
            import socket
            print('CONTROL', flush=True)
            try:
                socket.create_connection(('1.1.1.1', 80), timeout=3)
                print('TCP-CONNECTED')
            except OSError as e:
                print('TCP-BLOCKED', e.errno)
            try:
                socket.getaddrinfo('example.com', 80)
                print('DNS-RESOLVED')
            except OSError as e:
                print('DNS-BLOCKED')
            with open('/proc/net/dev') as f:
                print('IFACES', sorted(l.split(':')[0].strip() for l in f.readlines()[2:]))
            """;

        var result = await RunAsync("python", code);

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        Assert.Contains("CONTROL", result.Stdout);
        Assert.Contains("TCP-BLOCKED", result.Stdout);
        Assert.Contains("DNS-BLOCKED", result.Stdout);
        Assert.Contains("IFACES ['lo']", result.Stdout);
    }

    [Fact]
    public async Task RunJob_Privileges_AreDroppedAndUidIsMapped()
    {
        var code = "echo CONTROL; id -u; id -g; grep -E '^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status; cat /proc/self/uid_map";

        var result = await RunAsync("bash", code);

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("CONTROL", lines[0]);
        Assert.Equal("1000", lines[1]);
        Assert.Equal("1000", lines[2]);
        Assert.Contains("CapEff:\t0000000000000000", result.Stdout);
        Assert.Contains("CapPrm:\t0000000000000000", result.Stdout);
        Assert.Contains("CapBnd:\t0000000000000000", result.Stdout);
        Assert.Contains("NoNewPrivs:\t1", result.Stdout);
        Assert.Contains("Seccomp:\t2", result.Stdout);
        var map = lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", map[0]);
        Assert.True(long.Parse(map[1], System.Globalization.CultureInfo.InvariantCulture) >= 30_000_000, "uid 0 inside maps to an unprivileged host uid");
        Assert.Equal("65536", map[2]);
    }

    [Fact]
    public async Task RunJob_HostPaths_AreInvisibleAndRootIsReadOnly()
    {
        var code = $$"""
            import os
            print('CONTROL', os.path.exists('/usr/bin/python3'), flush=True)
            for p in ['/root', '/home', '/var/lib', '/etc/shadow', '/sys/fs/cgroup', '{{Runner.DataDir}}', '/work']:
                print('VISIBLE' if os.path.exists(p) else 'ABSENT', p)
            for p in ['/etc/probe', '/usr/probe', '/opt/cordon/probe']:
                try:
                    open(p, 'w').write('x')
                    print('WROTE', p)
                except OSError as e:
                    print('READONLY', p, e.errno)
            print('WORKSPACE', open('/workspace/w', 'w').write('ok'), open('/tmp/t', 'w').write('ok'))
            """;

        var result = await RunAsync("python", code);

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        Assert.Contains("CONTROL True", result.Stdout);
        Assert.DoesNotContain("VISIBLE", result.Stdout);
        Assert.DoesNotContain("WROTE", result.Stdout);
        Assert.Equal(3, result.Stdout.Split("READONLY").Length - 1);
        Assert.Contains("WORKSPACE 2 2", result.Stdout);
    }

    [Fact]
    public async Task RunJob_DeniedSyscalls_FailWithDocumentedErrno()
    {
        // unshare(CLONE_NEWUSER), mount, io_uring_setup, keyctl, ptrace: EPERM; clone3: ENOSYS so libc falls back.
        var code = """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            print('CONTROL', os.getpid() > 0, flush=True)
            def probe(name, *args):
                r = libc.syscall(*args)
                print(name, 'ALLOWED' if r >= 0 else 'ERRNO-%d' % ctypes.get_errno())
            probe('unshare', 272, 0x10000000)
            probe('mount', 165, b'none', b'/tmp', b'tmpfs', 0, None)
            probe('io_uring_setup', 425, 8, ctypes.create_string_buffer(120))
            probe('keyctl', 250, 0, 0, 0, 0, 0)
            probe('ptrace', 101, 16, 1, 0, 0)
            probe('clone3', 435, None, 0)
            probe('getpid', 39)
            """;

        var result = await RunAsync("python", code);

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        Assert.Contains("CONTROL True", result.Stdout);
        Assert.Contains("unshare ERRNO-1", result.Stdout);
        Assert.Contains("mount ERRNO-1", result.Stdout);
        Assert.Contains("io_uring_setup ERRNO-1", result.Stdout);
        Assert.Contains("keyctl ERRNO-1", result.Stdout);
        Assert.Contains("ptrace ERRNO-1", result.Stdout);
        Assert.Contains("clone3 ERRNO-38", result.Stdout);
        Assert.Contains("getpid ALLOWED", result.Stdout);
    }

    [Fact]
    public async Task RunJob_NodeWithIoUringDenied_StillRuns()
    {
        var result = await RunAsync("javascript", "require('fs').writeFileSync('/tmp/x', 'y'); console.log('NODE-OK', require('fs').readFileSync('/tmp/x', 'utf8'));");

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        Assert.Equal("NODE-OK y\n", result.Stdout);
    }
}
