using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Mcp;

/// <summary>
/// The official conformance suite against the fixture host built on Cordon's MCP plumbing, in Cordon's stateless
/// mode and in stateful mode; any failure not in the mode's baseline (tests/mcp/baselines) fails the test.
/// </summary>
public sealed class FixtureConformanceTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task ActiveSuite_StatelessFixture_NoUnexpectedFailures()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ServerProcess.StartAsync(ConformanceHost.EntryAssembly, [], ct);

        var run = await RunConformanceAsync(
            ["--url", new Uri(host.BaseAddress, "/mcp").ToString(), "--baseline", "tests/mcp/baselines/fixture-stateless.yml",
                "--name", "fixture-stateless"],
            ct);

        Assert.True(run.ExitCode == 0, $"{run.Output}\n--- fixture host ---\n{host.Output}");
    }

    [Fact]
    public async Task AllScenarios_StatefulFixture_NoUnexpectedFailures()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ServerProcess.StartAsync(ConformanceHost.EntryAssembly, ["--Cordon:Mcp:Stateless=false"], ct);

        var run = await RunConformanceAsync(
            ["--url", new Uri(host.BaseAddress, "/mcp").ToString(), "--baseline", "tests/mcp/baselines/fixture-stateful.yml",
                "--name", "fixture-stateful", "--suite", "all"],
            ct);

        Assert.True(run.ExitCode == 0, $"{run.Output}\n--- fixture host ---\n{host.Output}");
    }

    private static Task<ProcessResult> RunConformanceAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RepoScript.RunAsync("mcp-conformance.sh", arguments, ScriptTimeout, cancellationToken);
}
