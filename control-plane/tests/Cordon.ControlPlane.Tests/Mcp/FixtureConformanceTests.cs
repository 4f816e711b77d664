namespace Cordon.ControlPlane.Tests.Mcp;

/// <summary>
/// The official conformance suite against the fixture host built on Cordon's MCP plumbing, in Cordon's stateless
/// mode and in stateful mode; any failure not in the mode's baseline (tests/mcp/baselines) fails the test.
/// </summary>
public sealed class FixtureConformanceTests
{
    [Fact]
    public async Task ActiveSuite_StatelessFixture_NoUnexpectedFailures()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ServerProcess.StartAsync(RepoPaths.ConformanceHost, [], ct);

        var run = await ScriptRun.RunAsync(
            "mcp-conformance.sh",
            ["--url", new Uri(host.BaseAddress, "/mcp").ToString(), "--baseline", "tests/mcp/baselines/fixture-stateless.yml",
                "--name", "fixture-stateless"],
            ct);

        Assert.True(run.ExitCode == 0, $"{run.Output}\n--- fixture host ---\n{host.Output}");
    }

    [Fact]
    public async Task AllScenarios_StatefulFixture_NoUnexpectedFailures()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ServerProcess.StartAsync(RepoPaths.ConformanceHost, ["--Cordon:Mcp:Stateless=false"], ct);

        var run = await ScriptRun.RunAsync(
            "mcp-conformance.sh",
            ["--url", new Uri(host.BaseAddress, "/mcp").ToString(), "--baseline", "tests/mcp/baselines/fixture-stateful.yml",
                "--name", "fixture-stateful", "--suite", "all"],
            ct);

        Assert.True(run.ExitCode == 0, $"{run.Output}\n--- fixture host ---\n{host.Output}");
    }
}
