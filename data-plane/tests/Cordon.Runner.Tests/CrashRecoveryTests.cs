using Cordon.Contracts.Runner.V1;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

public sealed class CrashRecoveryTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_AfterACrash_ReapsTheSandboxesItLeft()
    {
        string id;
        string dataDirectory;
        await using (var first = new RunnerProcess())
        {
            await first.InitializeAsync();
            dataDirectory = first.DataDirectory;
            id = (await first.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "bash" }, first.Auth, cancellationToken: Token)).SandboxId;
            first.Kill(); // SIGKILL: no shutdown, the sandbox stays behind
        }

        Assert.True(Directory.Exists(Path.Combine(dataDirectory, "sandboxes", id)));

        await using var second = new RunnerProcess { DataDirectory = dataDirectory };
        await second.InitializeAsync();

        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "sandboxes", id)));
        Assert.DoesNotContain(Directory.EnumerateDirectories("/sys/fs/cgroup"), h => Directory.Exists(Path.Combine(h, "cordon", id)));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(id, StringComparison.Ordinal));
    }
}
