using System.Globalization;
using Cordon.Contracts.Runner.V1;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

/// <summary>Issue 15.8 (runner side) and 15.11: what the runner leaves on the host, and how it protects itself.</summary>
public sealed class HostFileModesTests
{
    private const UnixFileMode Traverse = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Sandbox_StateOnTheHost_IsTraversableOnlyAndItsFilesPrivate()
    {
        await using var runner = new RunnerProcess();
        await runner.InitializeAsync();
        var id = (await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "bash" }, runner.Auth, cancellationToken: TestContext.Current.CancellationToken)).SandboxId;
        var state = Path.Combine(runner.DataDirectory, "sandboxes", id);

        Assert.Equal(Traverse, File.GetUnixFileMode(runner.DataDirectory));
        Assert.Equal(Traverse, File.GetUnixFileMode(Path.Combine(runner.DataDirectory, "sandboxes")));
        Assert.Equal(Traverse, File.GetUnixFileMode(state));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(state, "config.json")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(state, "init.log")));
    }

    [Fact]
    public async Task Runner_OomScore_IsNegativeOrItsHealthSaysWhyNot()
    {
        await using var runner = new RunnerProcess();
        await runner.InitializeAsync();
        var health = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: TestContext.Current.CancellationToken);
        var score = int.Parse(File.ReadAllText($"/proc/{runner.Pid}/oom_score_adj").Trim(), CultureInfo.InvariantCulture);
        var mayLower = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal)) is var caps
            && (Convert.ToUInt64(caps["CapEff:".Length..].Trim(), 16) & (1UL << 24)) != 0; // CAP_SYS_RESOURCE

        if (mayLower)
        {
            Assert.Equal(-500, score);
        }
        else
        {
            // This kind of host (no CAP_SYS_RESOURCE even for root) cannot lower it: the gap is reported, not hidden.
            Assert.Equal(0, score);
            Assert.Contains(health.KnownGaps, g => g.Contains("oom_score_adj", StringComparison.Ordinal) && g.Contains("CAP_SYS_RESOURCE", StringComparison.Ordinal));
        }
    }
}
