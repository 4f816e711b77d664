using Cordon.ControlPlane.Tests.Mcp;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>
/// The control plane built on its own (not through the solution or a project that references the migrations)
/// carries its migrations and starts: the store is migrated and it answers.
/// </summary>
public sealed class StandaloneBuildTests
{
    [Fact]
    public async Task Build_ControlPlaneAlone_OutputHasMigrationsAndStarts()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Directory.CreateTempSubdirectory("cordon-cp-alone-").FullName;
        var dataDir = Directory.CreateTempSubdirectory("cordon-cp-alone-data-").FullName;
        try
        {
            var project = Path.Combine(RepoPaths.Root, "control-plane", "src", "Cordon.ControlPlane", "Cordon.ControlPlane.csproj");
            var (exitCode, log) = await RunAsync("dotnet", ["build", project, "-c", "Release", "-o", output, "-v", "quiet", "-nologo"], ct);
            Assert.True(exitCode == 0, $"dotnet build failed ({exitCode}):\n{log}");
            Assert.True(File.Exists(Path.Combine(output, "Cordon.ControlPlane.Migrations.Sqlite.dll")), "the SQLite migrations are missing from the output");
            Assert.True(File.Exists(Path.Combine(output, "Cordon.ControlPlane.Migrations.Postgres.dll")), "the PostgreSQL migrations are missing from the output");

            await using var server = await ServerProcess.StartAsync(Path.Combine(output, "cordon-control.dll"),
                [
                    "--environment", "Development",
                    "--Cordon:DataDir", dataDir,
                    "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information",
                ], ct);
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
            Assert.True(health.IsSuccessStatusCode, $"/healthz answered {(int)health.StatusCode}:\n{server.Output}");
            Assert.True(File.Exists(Path.Combine(dataDir, "cordon.db")), $"no migrated store:\n{server.Output}");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        // A build on a loaded two-core machine can take minutes; the bound only keeps a stuck one from hanging.
        var run = await ChildProcess.RunAsync(ChildProcess.CreateStartInfo(fileName, arguments), TimeSpan.FromMinutes(20), cancellationToken);
        return (run.ExitCode, run.Output);
    }
}
