using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Mcp;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Logging;

/// <summary>
/// The real <c>cordon-control</c> process: by default its console has lifecycle lines and no request or SQL lines;
/// <c>CORDON_LOG_LEVEL=Information</c> brings them back; a level that is none refuses start-up cleanly.
/// </summary>
public sealed class LogSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, false)]
    [InlineData("Information", true)]
    [InlineData("debug", true)]
    public async Task LogLevel_DefaultIsQuiet_CordonLogLevelBringsTheFrameworkBack(string? level, bool verbose)
    {
        await using var runner = await FakeRunnerHost.StartAsync(Ct);
        var dataDir = Directory.CreateTempSubdirectory("cordon-loglevel-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "cordon-control.dll"), [], Ct, new Dictionary<string, string?>
            {
                ["CORDON_DATA_DIR"] = dataDir,
                ["CORDON_LOG_LEVEL"] = level,
                ["Cordon__Auth__Issuer"] = TestTokens.Issuer,
                ["Cordon__Auth__SigningKeys__0__Key"] = TestTokens.Key,
                ["Cordon__Runners__0__Id"] = "fake",
                ["Cordon__Runners__0__Url"] = runner.Url,
                ["Cordon__Runners__0__Token"] = runner.State.Token,
            });
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(await client.GetAsync("/readyz", Ct)).IsSuccessStatusCode && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }

            using var job = await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out hi"}"""), Ct);
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);

            var output = server.Output;
            Assert.Contains("Now listening on: ", output, StringComparison.Ordinal);
            Assert.Contains("Runner fake at ", output, StringComparison.Ordinal);
            Assert.Equal(verbose, output.Contains("Request finished", StringComparison.Ordinal));
            Assert.Equal(verbose, output.Contains("info: Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("CORDON_LOG_LEVEL", "loud", "CORDON_LOG_LEVEL='loud' is not a log level")]
    [InlineData("CORDON_LOG_LEVEL", "3", "CORDON_LOG_LEVEL='3' is not a log level")]
    [InlineData("CORDON_LOG_FORMAT", "xml", "CORDON_LOG_FORMAT='xml' is not a log format")]
    public async Task LogSetting_NotAValue_RefusesToStartWithTheReason(string variable, string value, string reason)
    {
        var dataDir = Directory.CreateTempSubdirectory("cordon-loglevel-").FullName;
        try
        {
            var info = ChildProcess.CreateStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "cordon-control.dll"), "--urls", "http://127.0.0.1:0"],
                new Dictionary<string, string?> { ["CORDON_DATA_DIR"] = dataDir, [variable] = value });
            var result = await ChildProcess.RunAsync(info, TimeSpan.FromSeconds(60), Ct);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("cordon-control: refusing to start: " + reason, result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
