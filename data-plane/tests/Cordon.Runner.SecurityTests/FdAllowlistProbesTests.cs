namespace Cordon.Runner.SecurityTests;

/// <summary>SECURITY.md §1 "Leaked fd" and issue 15 item 11: a job starts with fds 0, 1 and 2 and nothing else.</summary>
public sealed class FdAllowlistProbesTests
{
    [Fact]
    public async Task OpenFds_OfAJob_AreOnlyStdinStdoutAndStderr()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                printf("open-fds: ");
                for (int fd = 0; fd < 4096; fd++) if (fcntl(fd, F_GETFD) != -1) printf(fd ? " %d" : "%d", fd);
                printf("\n");
                // Control: the scan sees an fd the job opens itself.
                int mine = open("/dev/null", O_RDONLY);
                printf("control-fd: %s\n", mine >= 3 && fcntl(mine, F_GETFD) != -1 ? "seen" : "missed");
                struct stat in, out;
                printf("stdin-kind: %s\n", fstat(0, &in) == 0 ? (S_ISFIFO(in.st_mode) ? "pipe" : S_ISSOCK(in.st_mode) ? "socket" : "other") : strerrorname_np(errno));
                printf("stdout-kind: %s\n", fstat(1, &out) == 0 ? (S_ISFIFO(out.st_mode) ? "pipe" : S_ISSOCK(out.st_mode) ? "socket" : "other") : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("seen", outcome.Line("control-fd"));
        Assert.True(outcome.Line("open-fds") == "0 1 2", $"open fds:{outcome.Line("open-fds")}\n{outcome}");
        // The agent's pipes, never its channel to the runner.
        Assert.Equal("pipe", outcome.Line("stdin-kind"));
        Assert.Equal("pipe", outcome.Line("stdout-kind"));
    }
}
