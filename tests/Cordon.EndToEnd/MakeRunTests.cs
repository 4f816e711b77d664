using System.Text.RegularExpressions;
using Cordon.TestSupport;

namespace Cordon.EndToEnd;

/// <summary>
/// <c>make run</c> as a new user meets it: <c>scripts/run.sh</c> (what the target runs after building) starts both
/// services on their defaults, the README's CLI commands run a job, and the terminal shows warnings and lifecycle
/// lines only — no EF Core SQL, no routed or hosted request lines, no health polls — with the banner after them.
/// </summary>
public sealed partial class MakeRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MakeRun_DefaultLogging_LifecycleOnlyAndTheBannerLast()
    {
        var dataDir = TraversableTempDirectory.Create("cordon-make-run-");
        try
        {
            await RunAndCheckAsync(dataDir);
        }
        finally
        {
            TraversableTempDirectory.TryDelete(dataDir);
        }
    }

    private static async Task RunAndCheckAsync(string dataDir)
    {
        var control = FreePort.NextLoopbackUrl().ToString().TrimEnd('/');
        var runner = FreePort.NextLoopbackUrl().ToString().TrimEnd('/');
        var environment = new Dictionary<string, string?>
        {
            ["CORDON_DATA_DIR"] = dataDir,
            ["CORDON_CONTROL_URL"] = control,
            ["CORDON_RUNNER_URL"] = runner,
        };
        await using var run = ChildProcess.Start(
            ChildProcess.CreateStartInfo(RepoPaths.Combine("scripts", "run.sh"), [], environment, RepoPaths.Root), stopGrace: TimeSpan.FromSeconds(30));
        await run.WaitUntilAsync(p => p.Stdout.Contains("Ctrl-C stops both.", StringComparison.Ordinal), "the banner", TimeSpan.FromSeconds(150), Ct);

        // The README's tour, with the CLI.
        var cli = RepoPaths.Combine("bin", "cordon");
        var token = await ChildProcess.RunAsync(
            ChildProcess.CreateStartInfo(cli, ["token", "--tenant", "demo", "--scopes", "jobs:run sessions:use files:rw"], environment), TimeSpan.FromSeconds(30), Ct);
        Assert.True(token.ExitCode == 0, token.Output);
        var job = await ChildProcess.RunAsync(ChildProcess.CreateStartInfo(cli, ["run", "python", "-c", "print('hello from a sandbox')"], new Dictionary<string, string?>
        {
            ["CORDON_URL"] = control,
            ["CORDON_TOKEN"] = token.Stdout.Trim(),
        }), TimeSpan.FromSeconds(120), Ct);
        Assert.True(job.ExitCode == 0, job.Output + "\n" + run.Tail());
        Assert.Equal("hello from a sandbox\n", job.Stdout);

        // A few health rounds (every 2 s) pass, then the job's end has been audited.
        await run.WaitUntilAsync(p => p.Output.Contains("action=\"job.end\"", StringComparison.Ordinal), "the job's audit", TimeSpan.FromSeconds(30), Ct);
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        var output = run.Output;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Lifecycle: both services listening and started, the runner up, the job audited.
        Assert.Contains(lines, l => l.Contains("Now listening on: " + control, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Now listening on: " + runner, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("info: Cordon.Runner.Hosting.RunnerStartup[1101] Runner started", StringComparison.Ordinal));
        var runnerUp = Array.FindIndex(lines, l => l.Contains("Runner local at " + runner, StringComparison.Ordinal) && l.Contains("is up", StringComparison.Ordinal));
        Assert.True(runnerUp >= 0, output);
        Assert.Contains(lines, l => l.Contains("Cordon.Audit[1501] audit action=\"job.start\" tenant=\"demo\"", StringComparison.Ordinal));

        // Nothing of the flood: EF Core SQL, routing, hosting's request lines, HTTP client calls (health polls), gRPC.
        var noise = lines.Where(l => Noise().IsMatch(l)).ToList();
        Assert.True(noise.Count == 0, "noise on the terminal:\n" + string.Join('\n', noise.Take(20)));

        // The banner comes after every start-up line, and little comes before it.
        var banner = Array.FindIndex(lines, l => l.StartsWith("Cordon is running", StringComparison.Ordinal));
        Assert.True(banner > runnerUp, output);
        Assert.True(banner <= 16, $"{banner} lines before the banner:\n{output}");
        Assert.All(lines.Take(banner), l => Assert.Matches(@"^\d\d:\d\d:\d\d (info|warn|fail|crit): ", l));
    }

    // The flood at info or below, by category (the storage-ready line names its EF Core provider, and a start-up
    // warning may name GetHealth, so not bare names), and the request and SQL lines themselves.
    [GeneratedRegex(@"(trce|dbug|info): (Microsoft\.EntityFrameworkCore|Microsoft\.AspNetCore\.(Routing|Hosting\.Diagnostics)|System\.Net\.Http|Grpc)|Request (starting|finished)|Executed DbCommand")]
    private static partial Regex Noise();
}
