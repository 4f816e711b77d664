using System.Security.Cryptography;
using System.Text;
using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>
/// Issue 15 item 1: the runner reaches the agent only through a socket pair it handed over as an fd, so a job
/// has nothing to connect to and nothing to replace. The job tries every route a same-sandbox process has.
/// </summary>
public sealed class AgentChannelProbesTests
{
    [Fact]
    public async Task AgentSocket_FromInsideTheSandbox_CannotBeReached()
    {
        var outcome = await Sandbox.RunAsync("c", CProbe.Program("""
                // Unix sockets of this network namespace, before the probe makes any: the agent's channel is not one.
                FILE *table = fopen("/proc/net/unix", "r");
                int lines = 0;
                char row[512];
                while (table && fgets(row, sizeof row, table)) lines++;
                printf("unix-sockets: %d\n", table ? lines - 1 : -1);
                PROBE("agent-path", access("/run/cordon/agent.sock", F_OK));
                PROBE("agent-dir", access("/run/cordon", F_OK));
                int s = socket(AF_UNIX, SOCK_STREAM, 0);
                struct sockaddr_un old = { .sun_family = AF_UNIX, .sun_path = "/run/cordon/agent.sock" };
                PROBE("connect-agent", connect(s, (struct sockaddr *)&old, sizeof old));
                PROBE("proc1-fd-dir", open("/proc/1/fd", O_RDONLY | O_DIRECTORY));
                char link[256];
                PROBE("proc1-fd0", readlink("/proc/1/fd/0", link, sizeof link));
                PROBE("proc1-fd0-open", open("/proc/1/fd/0", O_RDWR));
                // Every fd the agent's table lists (runsc lists it): how many the job can open either way, and how many
                // of those it could not have opened by the path the link names, on its own.
                DIR *fds = opendir("/proc/1/fd");
                int listed = 0, opened = 0, beyond = 0;
                for (struct dirent *d; fds && (d = readdir(fds));) {
                    if (d->d_name[0] == '.') continue;
                    listed++;
                    char path[64], target[256] = {0};
                    snprintf(path, sizeof path, "/proc/1/fd/%s", d->d_name);
                    readlink(path, target, sizeof target - 1);
                    int modes[] = { O_RDONLY, O_RDWR };
                    for (int m = 0; m < 2; m++) {
                        if (open(path, modes[m]) < 0) continue;
                        opened++;
                        if (target[0] != '/' || open(target, modes[m]) < 0) beyond++;
                    }
                }
                printf("proc1-fds: listed %s, beyond the job's own reach %d\n", listed > 0 ? "some" : "none", beyond);
                printf("proc1-fds-opened: %d\n", opened);
                // Control: Unix sockets work for the job itself.
                int pair[2];
                char byte = 0;
                printf("socketpair: %s\n", socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0 && write(pair[0], "x", 1) == 1 && read(pair[1], &byte, 1) == 1 && byte == 'x' ? "ok" : strerrorname_np(errno));
            """, "#include <dirent.h>\n#include <sys/un.h>\n"), TestContext.Current.CancellationToken);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("socketpair"));
        Assert.True(outcome.Status == "succeeded", outcome.ToString());
        foreach (var probe in new[] { "agent-path", "agent-dir", "connect-agent" })
        {
            Assert.True(outcome.Line(probe) == "blocked ENOENT", $"{probe}: {outcome.Line(probe)}\n{outcome}");
        }

        if (TestRuntime.IsRunsc)
        {
            // A runtime gap (Oci/RuntimeGaps): gVisor checks no ptrace access for another uid's /proc/<pid>/fd. The job
            // lists the agent's fds and reads their links; it opens none of the host fds (the channel, the log: ENXIO)
            // nor the pipes (EACCES), only files it can open by their own path anyway (/dev/null, /workspace, …).
            Assert.Equal("ESCAPED", outcome.Line("proc1-fd-dir"));
            Assert.Equal("ESCAPED", outcome.Line("proc1-fd0"));
            Assert.StartsWith("blocked E", outcome.Line("proc1-fd0-open"), StringComparison.Ordinal);
            Assert.Equal("listed some, beyond the job's own reach 0", outcome.Line("proc1-fds"));
        }
        else
        {
            // The agent is another uid and non-dumpable: its fd table is closed to the job.
            foreach (var probe in new[] { "proc1-fd-dir", "proc1-fd0", "proc1-fd0-open" })
            {
                Assert.True(outcome.Line(probe) == "blocked EACCES", $"{probe}: {outcome.Line(probe)}\n{outcome}");
            }

            Assert.Equal("listed none, beyond the job's own reach 0", outcome.Line("proc1-fds"));
            Assert.Equal("0", outcome.Line("proc1-fds-opened"));
        }

        Assert.True(outcome.Line("unix-sockets") == "0", $"unix sockets visible in the sandbox: {outcome.Line("unix-sockets")}\n{outcome}");
    }

    [Fact]
    public async Task FakeAgent_StartedByTheJob_ChangesNothing()
    {
        // The job stakes out every place a fake agent could sit, leaves a listener running in the background,
        // and writes a proof file. The runner then reads the proof through the agent (artifact collection): the
        // right bytes mean it still talks to the real agent, and the job's result came from it.
        const string proof = "written by the job, read by the real agent";
        var outcome = await Sandbox.RunAsync("c", CProbe.Program($$"""
                int s = socket(AF_UNIX, SOCK_STREAM, 0);
                struct sockaddr_un at = { .sun_family = AF_UNIX, .sun_path = "/run/cordon/agent.sock" };
                PROBE("bind-agent-path", bind(s, (struct sockaddr *)&at, sizeof at));
                PROBE("mkdir-run", mkdir("/run/cordon", 0755)); // the agent's old directory, in the read-only root
                PROBE("signal-agent", kill(1, SIGTERM));
                struct sockaddr_un tmp = { .sun_family = AF_UNIX, .sun_path = "/tmp/agent.sock" };
                int fake = socket(AF_UNIX, SOCK_STREAM, 0);
                printf("fake-listener: %s\n", bind(fake, (struct sockaddr *)&tmp, sizeof tmp) == 0 && listen(fake, 8) == 0 ? "ok" : strerrorname_np(errno));
                fflush(stdout);
                if (fork() == 0) {
                    setsid();
                    for (;;) { int c = accept(fake, NULL, NULL); if (c >= 0) { write(c, "\0\0\0\2\1{", 6); close(c); } }
                }
                FILE *f = fopen("/workspace/proof.txt", "w");
                fputs("{{proof}}", f);
                fclose(f);
                puts("proof: written");
            """, "#include <sys/un.h>\n"), TestContext.Current.CancellationToken, artifacts: ["proof.txt"]);

        Assert.Equal("ok", outcome.Line("control"));
        Assert.Equal("ok", outcome.Line("fake-listener"));
        Assert.Equal("written", outcome.Line("proof"));
        Assert.Equal("blocked ENOENT", outcome.Line("bind-agent-path"));
        Assert.Equal("blocked EROFS", outcome.Line("mkdir-run"));
        Assert.Equal("blocked EPERM", outcome.Line("signal-agent"));
        Assert.True(outcome.Status == "succeeded" && outcome.ExitCode == 0, outcome.ToString());
        var artifact = Assert.Single(outcome.Artifacts);
        Assert.Equal("proof.txt", artifact.Path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(proof))), artifact.Sha256);
    }
}
