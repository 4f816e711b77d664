using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.Contracts.Problems;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cordon.ControlPlane.Tests.Jobs;

/// <summary>
/// The per-tenant storage quota refuses new work once stored output reaches it (never cutting what was accepted),
/// and the retention sweep deletes old output, marks the job and frees the quota again.
/// </summary>
public sealed class StorageQuotaRetentionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
    private ControlPlaneFactory _factory = null!;
    private FakeRunnerHost _runner = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The sweep loop ticks on the fake clock too: its interval (a day) is longer than any advance here, so the
    // rounds are the tests' own.
    public async ValueTask InitializeAsync() => (_factory, _runner) = await ControlPlaneFactory.StartAsync(
        new Dictionary<string, string?>
        {
            ["Cordon:Quotas:Storage:DefaultBytes"] = "1000000",
            ["Cordon:Quotas:Storage:Tenants:small"] = "1000",
            ["Cordon:Retention:OutputHours"] = "1",
            ["Cordon:Retention:SweepIntervalSeconds"] = "86400",
        },
        _time);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
    }

    [Fact]
    public async Task OverQuota_AcceptedJobKeepsAllOutput_NextJobIs429NamingTheQuota_OtherTenantsRun()
    {
        var small = _factory.ClientFor("small");
        // Admitted under the quota (nothing stored yet); its 2,048 bytes take the tenant over and are all kept.
        var first = await (await small.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"flood 2048"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Succeeded, first.Status);
        Assert.Equal(2048, first.Stdout.Length);

        var refused = await small.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out hi"}"""), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(ProblemTypes.QuotaExceeded, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("storage", problem.RootElement.GetProperty("quota").GetString());
        Assert.Equal(2048, problem.RootElement.GetProperty("usedBytes").GetInt64());
        Assert.Equal(1000, problem.RootElement.GetProperty("limitBytes").GetInt64());
        Assert.Contains("storage quota of 1000 bytes", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The first job's output expires an hour after it finished; the sweep after that frees room.
        Assert.Equal((3600 + 86400).ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Headers.RetryAfter!.ToString());

        // The refused job was never stored, the accepted one is intact, and another tenant is not affected.
        var page = JsonDocument.Parse(await small.GetStringAsync(new Uri("/v1/jobs", UriKind.Relative), Ct));
        Assert.Single(page.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(first.Stdout, (await (await small.GetAsync($"/v1/jobs/{first.Id}", Ct)).ReadAsync<Job>()).Stdout);
        var other = await (await _factory.ClientFor("acme").PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out hi"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Succeeded, other.Status);
    }

    [Fact]
    public async Task Sweep_AfterRetention_DeletesOutputAndArtifacts_MarksJobExpired_FreesQuota()
    {
        var small = _factory.ClientFor("small");
        var sweeper = _factory.Services.GetRequiredService<OutputRetentionSweeper>();
        var old = await (await small.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"flood 990\nerr warn\nartifact out/a.txt hello artifact"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal(HttpStatusCode.OK, (await small.GetAsync($"/v1/jobs/{old.Id}/artifacts/out/a.txt", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await small.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out x"}"""), Ct)).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(0, await sweeper.SweepOnceAsync(Ct));
        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(1, await sweeper.SweepOnceAsync(Ct));
        Assert.Equal(0, await sweeper.SweepOnceAsync(Ct));

        var expired = await (await small.GetAsync($"/v1/jobs/{old.Id}", Ct)).ReadAsync<Job>();
        Assert.Equal(_time.GetUtcNow(), expired.OutputExpiredAt);
        Assert.Equal(("", ""), (expired.Stdout, expired.Stderr));
        Assert.Equal((JobStatus.Succeeded, 0), (expired.Status, expired.ExitCode));
        Assert.Equal("out/a.txt", Assert.Single(expired.Artifacts).Path);
        var artifact = await small.GetAsync($"/v1/jobs/{old.Id}/artifacts/out/a.txt", Ct);
        Assert.Equal(HttpStatusCode.NotFound, artifact.StatusCode);
        Assert.Contains("expired", await artifact.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_factory.DataDir, "artifacts"), "*", SearchOption.AllDirectories));

        // The event stream still ends with the result, which says the output expired; no output events are left.
        var events = await SseReader.ReadJobEventsAsync(small, old.Id, null, Ct);
        Assert.DoesNotContain(events, e => e.Event is "stdout" or "stderr");
        Assert.Equal("result", events[^1].Event);
        Assert.NotNull(JsonSerializer.Deserialize(events[^1].Data, CordonJsonContext.Default.Job)!.OutputExpiredAt);
        var summary = JsonDocument.Parse(await small.GetStringAsync(new Uri("/v1/jobs", UriKind.Relative), Ct)).RootElement.GetProperty("items")[0];
        Assert.True(summary.TryGetProperty("outputExpiredAt", out var at) && at.ValueKind == JsonValueKind.String);

        // The quota counted the output and the artifact; with both gone the tenant may run again.
        var next = await (await small.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out again"}"""), Ct)).ReadAsync<Job>();
        Assert.Equal("again\n", next.Stdout);
        Assert.Null(next.OutputExpiredAt);
    }
}
