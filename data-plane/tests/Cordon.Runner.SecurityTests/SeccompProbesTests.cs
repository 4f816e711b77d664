using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>SECURITY.md §3.8: each denied syscall fails with its errno, also through the i386 and x32 entry points.</summary>
public sealed class SeccompProbesTests(SeccompProbe probe) : IClassFixture<SeccompProbe>
{
    public static TheoryData<string, int, string> DeniedSyscalls => SeccompProbe.DeniedSyscalls;

    [Theory]
    [MemberData(nameof(DeniedSyscalls))]
    public void DeniedSyscall_CalledFromTheJob_FailsWithTheProfilesErrno(string name, int number, string errno)
    {
        Assert.True(probe.Outcome.Line("control") == "ok", probe.Outcome.ToString());
        Assert.True(probe.Outcome.Line(name) == $"blocked {errno}", $"{name} ({number}): {probe.Outcome.Line(name)}\n{probe.Outcome}");
    }

    [Fact]
    public void CloneWithNamespaceFlags_CalledFromTheJob_IsRefusedWhilePlainForkWorks()
    {
        Assert.Equal("ok", probe.Outcome.Line("fork"));
        Assert.Equal("blocked EPERM", probe.Outcome.Line("clone-newuser"));
    }

    [Fact]
    public async Task I386EntryPoint_SyscallThroughInt80_KillsTheProgram()
    {
        // getpid (20 on i386) through the 32-bit entry point: the profile lists only x86_64, so this is a bad-arch kill.
        // The Sentry has no 32-bit ABI at all: it takes int 0x80 as a 64-bit call of the same number (20 is writev
        // there, which fails on the garbage fd in the 64-bit registers) and filters it as one. So under runsc the
        // probe goes on: getpid through int 0x80 must not answer the pid, and mount (165 on x86_64, denied) through it
        // must be refused by the filter (EPERM; its bad pointers would fault past it), while the plain getpid control answers.
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                long rc;
                __asm__ volatile ("int $0x80" : "=a"(rc) : "a"(20L) : "memory");
                printf("int80-getpid: %s %ld\n", rc == getpid() ? "ESCAPED" : "refused", rc);
                fflush(stdout);
                __asm__ volatile ("int $0x80" : "=a"(rc) : "a"(165L), "D"(-1L), "S"(-1L), "d"(-1L) : "memory");
                printf("int80-mount: %ld\n", rc);
                printf("getpid: %s\n", getpid() > 0 ? "ok" : "failed");
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        if (TestRuntime.IsRunsc)
        {
            Assert.Equal("refused -9", outcome.Line("int80-getpid")); // -EBADF: writev's, never the pid
            Assert.Equal("-1", outcome.Line("int80-mount")); // -EPERM from the filter, as for the 64-bit call
            Assert.Equal("ok", outcome.Line("getpid"));
            Assert.True(outcome.Status == "succeeded", outcome.ToString());
            return;
        }

        Assert.Null(outcome.Line("int80-getpid"));
        Assert.Equal("failed", outcome.Status);
        Assert.Contains(outcome.Signal, new[] { "SIGSYS", "SIGSEGV" });
    }

    [Fact]
    public async Task X32EntryPoint_SyscallWithX32Bit_IsRefused()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                PROBE("x32-getpid", syscall(0x40000000L | 39 /* getpid */));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        var line = outcome.Line("x32-getpid");
        Assert.True(line is "blocked ENOSYS" or "blocked EPERM" || (line is null && outcome.Signal == "SIGSYS"), outcome.ToString());
    }
}
