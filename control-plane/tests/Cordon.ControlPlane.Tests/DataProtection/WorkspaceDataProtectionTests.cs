using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Tenants;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Storage;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Policy;
using Cordon.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Cordon.ControlPlane.Tests.DataProtection;

/// <summary>
/// Artifacts at rest through the real control plane (its gRPC adapter, the fake runner encrypting as the runner does):
/// ciphertext in the object store, plaintext on download, and deletion by job, by tenant and by retention destroying
/// the data key, so a copy of the old ciphertext no longer opens. On SQLite here and PostgreSQL in the subclass.
/// </summary>
public abstract class WorkspaceDataProtectionTests : IAsyncLifetime
{
    private const string Marker = "MARKER-7f3a-plaintext";

    private readonly RecordingAuditSink _audit = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly string _keyDir = Directory.CreateTempSubdirectory("cordon-keys-").FullName;

    private protected ControlPlaneFactory Factory { get; private set; } = null!;

    private protected FakeRunnerHost Runner { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual IReadOnlyDictionary<string, string?> StorageSettings => new Dictionary<string, string?>();

    private string KeyFile => Path.Combine(_keyDir, "master.key");

    private string ArtifactDir => Path.Combine(Factory.DataDir, LocalDirectoryObjectStore.DirectoryName);

    public virtual async ValueTask InitializeAsync()
    {
        MasterKeyFile.CreateNew(KeyFile);
        var settings = new Dictionary<string, string?>(StorageSettings)
        {
            ["Cordon:Secrets:MasterKeyFile"] = KeyFile,
            ["Cordon:Retention:Days"] = "30",
            // The passes tick on the fake clock: a day apart, so the rounds below are the tests' own.
            ["Cordon:Retention:SweepIntervalSeconds"] = "86400",
            ["Cordon:Retention:OutputHours"] = "0",
        };
        (Factory, Runner) = await ControlPlaneFactory.StartAsync(settings, _time,
            services => services.Replace(ServiceDescriptor.Singleton<IAuditSink>(_audit)));
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Runner.DisposeAsync();
        Directory.Delete(_keyDir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Artifact_IsCiphertextInTheStore_RunnerGotTheKey_DownloadIsPlaintext()
    {
        var acme = Factory.ClientFor("acme");

        var job = await RunAsync(acme, "out/a.txt");

        Assert.Equal(32, Runner.State.LastRunJob!.DataKey.Length);
        var stored = await File.ReadAllBytesAsync(Path.Combine(ArtifactDir, "acme", job.Id, "out", "a.txt"), Ct);
        Assert.True(stored.AsSpan().StartsWith("CDE"u8));
        AssertNoMarkerUnder(ArtifactDir);
        var info = Assert.Single(job.Artifacts);
        Assert.Equal(Marker.Length, info.Size);
        Assert.Equal(Marker, await acme.GetStringAsync($"/v1/jobs/{job.Id}/artifacts/out/a.txt", Ct));

        var row = await DataKeyRowAsync("acme", job.Id);
        Assert.NotNull(row);
        Assert.Equal(MasterKeyFile.IdOf(MasterKeyFile.Read(KeyFile)), row.KeyId); // wrapped by the master key, not stored plain
        Assert.Equal(-1, row.WrappedKey.AsSpan().IndexOf(Runner.State.LastRunJob.DataKey.Span));
    }

    [Fact]
    public async Task DeleteJob_DestroysKeyObjectsAndRows_KeptCiphertextNoLongerDecrypts()
    {
        var acme = Factory.ClientFor("acme");
        var job = await RunAsync(acme, "out/a.txt");
        var path = Path.Combine(ArtifactDir, "acme", job.Id, "out", "a.txt");
        var copy = await File.ReadAllBytesAsync(path, Ct);
        var row = (await DataKeyRowAsync("acme", job.Id))!;
        var context = ArtifactContext.For("acme", job.Id, "out/a.txt");
        // Before: the master key unwraps the row's key and the copy opens (so the check below could succeed).
        var unwrapped = await UnwrapAsync("acme", job.Id, row);
        Assert.Equal(Marker, System.Text.Encoding.UTF8.GetString(DecryptingStream.DecryptAll(copy, unwrapped, context)));

        Assert.Equal(HttpStatusCode.NoContent, (await acme.DeleteAsync($"/v1/jobs/{job.Id}", Ct)).StatusCode);

        Assert.Null(await DataKeyRowAsync("acme", job.Id));
        Assert.False(File.Exists(path));
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/v1/jobs/{job.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/v1/jobs/{job.Id}/artifacts/out/a.txt", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await acme.DeleteAsync($"/v1/jobs/{job.Id}", Ct)).StatusCode);
        await AssertNoKeyOpensAsync(copy, context);
        Assert.Contains(_audit.Events, e => e.Action == AuditActions.JobDelete && e.ResourceId == job.Id);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        Assert.False(await db.JobEvents.IgnoreQueryFilters().AnyAsync(e => e.JobId == job.Id, Ct));
        Assert.Equal(0, await TenantStorage.UsedBytesAsync(db, "acme", Ct));
    }

    [Fact]
    public async Task DeleteJob_StillRunning_Is409_OtherTenant_Is404()
    {
        var acme = Factory.ClientFor("acme");
        var running = await (await acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"hang","wait":false}"""), Ct)).ReadAsync<Job>();
        var done = await RunAsync(acme, "out/a.txt");

        Assert.Equal(HttpStatusCode.Conflict, (await acme.DeleteAsync($"/v1/jobs/{running.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Factory.ClientFor("globex").DeleteAsync($"/v1/jobs/{done.Id}", Ct)).StatusCode);
        Assert.Equal(Marker, await acme.GetStringAsync($"/v1/jobs/{done.Id}/artifacts/out/a.txt", Ct));
        await acme.PostAsync($"/v1/jobs/{running.Id}/cancel", null, Ct);
    }

    [Fact]
    public async Task DeleteTenantData_ShredsEveryKeyAndObject_OtherTenantsKeepTheirs_Audited()
    {
        var acme = Factory.ClientFor("acme");
        var globex = Factory.ClientFor("globex");
        var first = await RunAsync(acme, "out/a.txt");
        var second = await RunAsync(acme, "out/b.txt");
        var theirs = await RunAsync(globex, "out/a.txt");
        var copies = new[] { (first.Id, "out/a.txt"), (second.Id, "out/b.txt") }
            .Select(j => (Bytes: File.ReadAllBytes(Path.Combine(ArtifactDir, "acme", j.Item1, j.Item2)), Context: ArtifactContext.For("acme", j.Item1, j.Item2)))
            .ToList();
        await AssertStatusAsync(HttpStatusCode.NoContent, await Factory.ClientFor("acme", "secrets:write").PutAsync("/v1/secrets/API_TOKEN", Http.Json("""{"value":"tok"}"""), Ct));

        Assert.Equal(HttpStatusCode.Forbidden, (await Factory.ClientFor("acme", "jobs:run").DeleteAsync("/v1/admin/tenants/acme/data", Ct)).StatusCode);
        var response = await Factory.ClientFor("ops", "admin").DeleteAsync("/v1/admin/tenants/acme/data", Ct);

        await AssertStatusAsync(HttpStatusCode.OK, response);
        var deletion = await response.ReadAsync<TenantDataDeletion>();
        Assert.Equal(new TenantDataDeletion { Tenant = "acme", Jobs = 2, Sessions = 0, Secrets = 1, DataKeys = 2 }, deletion);
        Assert.False(Directory.Exists(Path.Combine(ArtifactDir, "acme")));
        Assert.Empty(JsonDocument.Parse(await acme.GetStringAsync(new Uri("/v1/jobs", UriKind.Relative), Ct)).RootElement.GetProperty("items").EnumerateArray());
        foreach (var (bytes, context) in copies)
        {
            await AssertNoKeyOpensAsync(bytes, context);
        }

        Assert.Equal(Marker, await globex.GetStringAsync($"/v1/jobs/{theirs.Id}/artifacts/out/a.txt", Ct));
        var audited = Assert.Single(_audit.Events, e => e.Action == AuditActions.TenantDataDelete);
        Assert.Equal(("acme", "deleted"), (audited.Tenant, audited.Outcome));
        Assert.Contains("jobs=2", audited.Detail, StringComparison.Ordinal);

        // Again: nothing left, nothing fails.
        Assert.Equal(0, (await (await Factory.ClientFor("ops", "admin").DeleteAsync("/v1/admin/tenants/acme/data", Ct)).ReadAsync<TenantDataDeletion>()).Jobs);
    }

    [Fact]
    public async Task DeleteTenantData_WhileAJobRuns_Is409AndDeletesNothing()
    {
        var acme = Factory.ClientFor("acme");
        var done = await RunAsync(acme, "out/a.txt");
        var running = await (await acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"hang","wait":false}"""), Ct)).ReadAsync<Job>();
        await JobPolling.WaitForStatusAsync(acme, running.Id, JobStatus.Running);

        await AssertStatusAsync(HttpStatusCode.Conflict, await Factory.ClientFor("ops", "admin").DeleteAsync("/v1/admin/tenants/acme/data", Ct));
        Assert.Equal(Marker, await acme.GetStringAsync($"/v1/jobs/{done.Id}/artifacts/out/a.txt", Ct));
        await acme.PostAsync($"/v1/jobs/{running.Id}/cancel", null, Ct);
    }

    [Fact]
    public async Task RetentionPass_DeletesJobsOlderThanTheDays_TheSameWay_OnEveryReplicaAtOnce()
    {
        var acme = Factory.ClientFor("acme");
        var retention = Factory.Services.GetRequiredService<JobRetention>();
        var old = await RunAsync(acme, "out/a.txt");
        var copy = await File.ReadAllBytesAsync(Path.Combine(ArtifactDir, "acme", old.Id, "out", "a.txt"), Ct);
        _time.Advance(TimeSpan.FromDays(20));
        await Factory.WaitForRunnerAsync(); // the health checks' clock jumped too
        var recent = await RunAsync(acme, "out/a.txt");

        _time.Advance(TimeSpan.FromDays(9));
        Assert.Equal(0, await retention.SweepOnceAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync($"/v1/jobs/{old.Id}", Ct)).StatusCode);
        _time.Advance(TimeSpan.FromDays(2));
        // Several replicas' passes at once (the background one, ticking on the same clock, among them): whichever
        // deletes the job, it is deleted once, and every pass ends without error.
        await Task.WhenAll(retention.SweepOnceAsync(Ct), retention.SweepOnceAsync(Ct), retention.SweepOnceAsync(Ct));
        Assert.Equal(0, await retention.SweepOnceAsync(Ct));

        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/v1/jobs/{old.Id}", Ct)).StatusCode);
        Assert.Null(await DataKeyRowAsync("acme", old.Id));
        Assert.False(Directory.Exists(Path.Combine(ArtifactDir, "acme", old.Id)));
        await AssertNoKeyOpensAsync(copy, ArtifactContext.For("acme", old.Id, "out/a.txt"));
        Assert.Equal(Marker, await acme.GetStringAsync($"/v1/jobs/{recent.Id}/artifacts/out/a.txt", Ct));
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        Assert.Equal(recent.Artifacts.Sum(a => a.Size) + recent.Stdout.Length, await TenantStorage.UsedBytesAsync(db, "acme", Ct));
    }

    [Fact]
    public async Task MasterKeyRotation_RewrapsDataKeys_ArtifactsStillOpen()
    {
        var acme = Factory.ClientFor("acme");
        var job = await RunAsync(acme, "out/a.txt");
        var before = (await DataKeyRowAsync("acme", job.Id))!;

        var rotated = await Factory.ClientFor("ops", "admin").PostAsync("/v1/admin/secrets/rotate-master-key", null, Ct);

        await AssertStatusAsync(HttpStatusCode.OK, rotated);
        var after = (await DataKeyRowAsync("acme", job.Id))!;
        Assert.NotEqual(before.KeyId, after.KeyId);
        Assert.Equal(MasterKeyFile.IdOf(MasterKeyFile.Read(KeyFile)), after.KeyId);
        Assert.Equal(Marker, await acme.GetStringAsync($"/v1/jobs/{job.Id}/artifacts/out/a.txt", Ct));
    }

    [Fact]
    public async Task ArtifactOfAJobWithSecrets_IsRedactedThenEncryptedAgain()
    {
        var acme = Factory.ClientFor("acme");
        await Factory.ClientFor("ops", "admin").PutAsync("/v1/admin/tenants/acme/policy", Http.Json("""{"secrets":["API_TOKEN"]}"""), Ct);
        await AssertStatusAsync(HttpStatusCode.NoContent, await Factory.ClientFor("acme", "secrets:write").PutAsync("/v1/secrets/API_TOKEN", Http.Json("""{"value":"tok-s3cr3t-value"}"""), Ct));

        var response = await acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"artifact out/a.txt key=tok-s3cr3t-value","artifacts":["out/*"],"secrets":["API_TOKEN"]}"""), Ct);
        await AssertStatusAsync(HttpStatusCode.OK, response);
        var job = await response.ReadAsync<Job>();

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var stored = await File.ReadAllBytesAsync(Path.Combine(ArtifactDir, "acme", job.Id, "out", "a.txt"), Ct);
        Assert.True(stored.AsSpan().StartsWith("CDE"u8));
        var served = await acme.GetStringAsync($"/v1/jobs/{job.Id}/artifacts/out/a.txt", Ct);
        Assert.DoesNotContain("tok-s3cr3t-value", served, StringComparison.Ordinal);
        Assert.StartsWith("key=", served, StringComparison.Ordinal);
        Assert.Equal(served.Length, Assert.Single(job.Artifacts).Size);
    }

    private static async Task<Job> RunAsync(HttpClient client, string path)
    {
        var response = await client.PostAsync("/v1/jobs", Http.Json($$"""{"language":"python","code":"artifact {{path}} {{Marker}}\nout done","artifacts":["out/*"]}"""), Ct);
        var job = await response.ReadAsync<Job>();
        Assert.Equal(JobStatus.Succeeded, job.Status);
        return job;
    }

    private static async Task AssertStatusAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
    }

    private static void AssertNoMarkerUnder(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(-1, File.ReadAllBytes(file).AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(Marker)));
        }
    }

    private async Task<DataKeyEntity?> DataKeyRowAsync(string tenant, string ownerId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        return await db.DataKeys.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(k => k.TenantId == tenant && k.OwnerId == ownerId, Ct);
    }

    private async Task<byte[]> UnwrapAsync(string tenant, string ownerId, DataKeyEntity row)
    {
        var cipher = new DataKeyCipher(new FileKeyWrapper(KeyFile));
        return await cipher.UnwrapAsync(tenant, ownerId, new WrappedKey(row.KeyId, row.WrappedKey), Ct);
    }

    /// <summary>
    /// The kept ciphertext opens under no key the deployment still has: every data key row left, unwrapped by the master
    /// key itself, is tried (the shredded one is not among them, and the master key alone never opens data).
    /// </summary>
    private async Task AssertNoKeyOpensAsync(byte[] ciphertext, byte[] context)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        foreach (var row in await db.DataKeys.IgnoreQueryFilters().AsNoTracking().ToListAsync(Ct))
        {
            var key = await UnwrapAsync(row.TenantId, row.OwnerId, row);
            Assert.Throws<EncryptedDataException>(() => DecryptingStream.DecryptAll(ciphertext, key, context));
        }

        Assert.Throws<EncryptedDataException>(() => DecryptingStream.DecryptAll(ciphertext, MasterKeyFile.Read(KeyFile), context));
    }
}
