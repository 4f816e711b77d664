using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>
/// The real <c>cordon-control</c> process keeps its data private on the host: the data directory, its
/// subdirectories and artifacts 0700, the SQLite database with its WAL and SHM files, the development signing key
/// and every artifact 0600 — checked on everything a run created, and on files an older version left readable.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataPermissionsTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FreshDataDirectory_EverythingCreatedIsOwnerOnly()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "cordon-modes-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var created = await RunJobWithArtifactAsync(dataDir);

            Assert.Equal(PrivateDirectory, File.GetUnixFileMode(dataDir));
            // Checked while the control plane still runs: SQLite removes the WAL and SHM files when it closes.
            foreach (var expected in new[] { "cordon.db", "cordon.db-wal", "cordon.db-shm", "auth/dev-signing-key.json", $"artifacts/acme/{created.Job.Id}/out/a.txt" })
            {
                Assert.Contains(expected, created.Entries.Keys);
            }

            Assert.All(created.Entries, entry => Assert.True(
                entry.Value == (entry.Key.EndsWith('/') ? PrivateDirectory : Private),
                $"{entry.Key} is {Convert.ToString((int)entry.Value, 8)}"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task DataLeftReadableByAnOlderVersion_IsTightenedOnStart()
    {
        var dataDir = Directory.CreateTempSubdirectory("cordon-modes-old-").FullName;
        try
        {
            const UnixFileMode Open = PrivateDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(dataDir, Open);
            foreach (var directory in new[] { "artifacts", "auth" })
            {
                Directory.CreateDirectory(Path.Combine(dataDir, directory), Open);
            }

            var database = Path.Combine(dataDir, "cordon.db");
            await File.WriteAllBytesAsync(database, [], Ct);
            File.SetUnixFileMode(database, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            var created = await RunJobWithArtifactAsync(dataDir);

            // The data directory keeps only its execute bits: a runner may keep its data below it (scripts/run.sh).
            Assert.Equal(PrivateDirectory | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, File.GetUnixFileMode(dataDir));
            Assert.All(created.Entries, entry => Assert.True(
                entry.Value == (entry.Key.EndsWith('/') ? PrivateDirectory : Private),
                $"{entry.Key} is {Convert.ToString((int)entry.Value, 8)}"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Starts cordon-control on <paramref name="dataDir"/>, runs a job with an artifact, and lists every entry's mode.</summary>
    private static async Task<(Job Job, Dictionary<string, UnixFileMode> Entries)> RunJobWithArtifactAsync(string dataDir)
    {
        await using var runner = await FakeRunnerHost.StartAsync(Ct);
        var url = FreePort.NextLoopbackUrl();
        var info = ChildProcess.CreateStartInfo(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "cordon-control.dll"), "--urls", url.ToString().TrimEnd('/')],
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["CORDON_DATA_DIR"] = dataDir,
                ["Cordon__Runners__0__Id"] = "fake",
                ["Cordon__Runners__0__Url"] = runner.Url,
                ["Cordon__Runners__0__Token"] = runner.State.Token,
                ["Cordon__Scheduling__HealthIntervalSeconds"] = "0.2",
            });
        await using var control = ChildProcess.Start(info);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        await WaitReadyAsync(http, control);

        var token = BearerToken.Mint(SigningKey.ReadDevKey(dataDir), BearerToken.DevIssuer, "modes", "acme", "jobs:run");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out hi\nartifact out/a.txt hello"}"""), Ct);
        var job = await response.ReadAsync<Job>();
        Assert.True(job.Status == JobStatus.Succeeded, $"{job.Status} {job.Error}\n{control.Tail()}");
        Assert.Equal("out/a.txt", Assert.Single(job.Artifacts).Path);

        var entries = Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetRelativePath(dataDir, path).Replace('\\', '/') + (Directory.Exists(path) ? "/" : ""),
            File.GetUnixFileMode);
        return (job, entries);
    }

    private static async Task WaitReadyAsync(HttpClient http, ChildProcess control)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200, Ct))
        {
            Assert.False(control.HasExited, "cordon-control exited:\n" + control.Tail());
            try
            {
                if ((await http.GetAsync(new Uri("/readyz", UriKind.Relative), Ct)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
        }

        Assert.Fail("cordon-control did not become ready:\n" + control.Tail());
    }
}
