using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>
/// SECURITY.md §3.5: fork, thread, fd, memory, disk, inode, output, CPU and sleep bombs end in the documented
/// status inside the sandbox, and the service answers the next job normally.
/// </summary>
public sealed class ResourceProbesTests
{
    [Fact]
    public async Task ForkBomb_InTheSandbox_HitsThePidsLimitAndTheNextJobRuns()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                int made = 0;
                for (int i = 0; i < 100000; i++) {
                    pid_t pid = fork();
                    if (pid == 0) { pause(); _exit(0); }
                    if (pid < 0) { printf("fork: blocked %s after %d\n", strerrorname_np(errno), made); break; }
                    made++;
                }
                fflush(stdout);
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.StartsWith("blocked EAGAIN after ", outcome.Line("fork"), StringComparison.Ordinal);
        await AssertNextJobRunsAsync();
    }

    [Fact]
    public async Task ThreadBomb_InTheSandbox_HitsThePidsLimit()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program(
            """
                int made = 0;
                for (int i = 0; i < 100000; i++) {
                    pthread_t thread;
                    int rc = pthread_create(&thread, 0, sleeper, 0);
                    if (rc != 0) { printf("threads: blocked %s after %d\n", strerrorname_np(rc), made); break; }
                    made++;
                }
            """,
            globals: "static void *sleeper(void *arg) { (void)arg; pause(); return 0; }"),
            TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.StartsWith("blocked EAGAIN after ", outcome.Line("threads"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FdBomb_InTheSandbox_HitsNofile()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                int count = 0;
                while (open("/dev/null", O_RDONLY) >= 0) count++;
                printf("fds: blocked %s after %d\n", strerrorname_np(errno), count);
            """), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        var line = outcome.Line("fds")!;
        Assert.StartsWith("blocked EMFILE after ", line, StringComparison.Ordinal);
        Assert.True(int.Parse(line["blocked EMFILE after ".Length..], System.Globalization.CultureInfo.InvariantCulture) <= 1024, line);
    }

    [Fact]
    public async Task MemoryBomb_InTheSandbox_EndsMemoryLimit()
    {
        var outcome = await Sandbox.RunAsync("python", """
            print("control: ok", flush=True)
            hoard = []
            while True:
                hoard.append(bytearray(8 * 1024 * 1024))
            """, TestContext.Current.CancellationToken, memoryMb: 64);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("memory_limit", outcome.Status);
        await AssertNextJobRunsAsync();
    }

    [Fact]
    public async Task DiskFill_InTheWorkspace_StopsWithEnospc()
    {
        var outcome = await Sandbox.RunAsync("python", """
            import errno
            print("control: ok", flush=True)
            written = 0
            try:
                with open("/workspace/fill", "wb") as f:
                    while written < 4 * 1024 ** 3:
                        f.write(b"\0" * (1024 * 1024)); f.flush(); written += 1024 * 1024
                print("disk: ESCAPED")
            except OSError as e:
                print(f"disk: blocked {errno.errorcode[e.errno]} at {written // (1024 * 1024)} MiB")
            """, TestContext.Current.CancellationToken, memoryMb: 512);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Matches("^blocked (ENOSPC|EFBIG) at [0-9]+ MiB$", outcome.Line("disk"));
    }

    [Fact]
    public async Task InodeBomb_InTheWorkspace_StopsWithEnospc()
    {
        // runsc: the Sentry's tmpfs takes no nr_inodes (a runtime gap, Oci/RuntimeGaps); its inodes are the Sentry's
        // memory, so the sandbox's memory limit is what ends the bomb there — asserted with a small one, and the next
        // job runs.
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                char name[64];
                int count = 0;
                for (; count < 300000; count++) {
                    snprintf(name, sizeof name, "/workspace/i%d", count);
                    int fd = open(name, O_CREAT | O_WRONLY, 0644);
                    if (fd < 0) break;
                    close(fd);
                }
                if (count == 300000) puts("inodes: ESCAPED"); else printf("inodes: blocked %s\n", strerrorname_np(errno));
            """), TestContext.Current.CancellationToken, timeoutMs: TestRuntime.IsRunsc ? 120_000 : 30_000, memoryMb: TestRuntime.IsRunsc ? 64 : 512);

        Assert.Equal("ok", outcome.Line("control"));
        if (TestRuntime.IsRunsc)
        {
            Assert.True(outcome.Status == "memory_limit" && outcome.Line("inodes") is null, outcome.ToString());
            await AssertNextJobRunsAsync();
            return;
        }

        Assert.Equal("blocked ENOSPC", outcome.Line("inodes"));
    }

    [Fact]
    public async Task OutputBomb_InTheSandbox_EndsOutputLimitWithOutputCut()
    {
        var outcome = await Sandbox.RunAsync("python", """
            import sys
            print("control: ok", flush=True)
            sys.stdout.write("x" * (10 * 1024 * 1024))
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("output_limit", outcome.Status);
        Assert.InRange(outcome.Stdout.Length, 1024, 1024 * 1024);
    }

    [Theory]
    [InlineData("while True: pass")]
    [InlineData("import time\ntime.sleep(60)")]
    public async Task CpuSpinOrSleep_PastTheWallClock_EndsTimeout(string body)
    {
        var outcome = await Sandbox.RunAsync("python", "print('control: ok', flush=True)\n" + body, TestContext.Current.CancellationToken, timeoutMs: 1500);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("timeout", outcome.Status);
    }

    [Fact]
    public async Task DetachedProcess_LeftByAJob_DoesNotOutliveIt()
    {
        var marker = $"cordon-probe-{Guid.NewGuid():N}";
        var outcome = await Sandbox.RunAsync("bash", $"""
            echo "control: ok"
            setsid nohup python3 -c 'import time; time.sleep(600)' {marker} >/dev/null 2>&1 &
            echo "spawned: $!"
            """, TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.NotNull(outcome.Line("spawned"));
        var survivors = Directory.EnumerateDirectories("/proc")
            .Where(dir => int.TryParse(Path.GetFileName(dir), out _))
            .Where(dir => ReadCommandLine(dir).Contains(marker, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(survivors);
    }

    private static string ReadCommandLine(string procDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDir, "cmdline"));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static async Task AssertNextJobRunsAsync()
    {
        var next = await Sandbox.RunAsync("python", "print('next job ok')", TestContext.Current.CancellationToken);
        Assert.Equal("succeeded", next.Status);
        Assert.Equal("next job ok\n", next.Stdout);
    }
}
