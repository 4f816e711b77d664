using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Sessions;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>The same storage behaviour, run against each provider by the subclasses.</summary>
public abstract class StorageTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private protected abstract StorageOptions Options { get; }

    private protected DataDirectory DataDirectory { get; } = new(Directory.CreateTempSubdirectory("cordon-storage-").FullName);

    public virtual async ValueTask InitializeAsync()
    {
        await using var db = Context(null);
        await db.Database.MigrateAsync(Ct);
    }

    public virtual ValueTask DisposeAsync()
    {
        Directory.Delete(DataDirectory.Path, recursive: true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Migrate_IsIdempotent_AndLeavesNoPendingMigrations()
    {
        await using var db = Context(null);
        await db.Database.MigrateAsync(Ct);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task QueryFilter_HidesOtherTenantsRows()
    {
        await AddJobAsync("acme", "job_a");
        await AddJobAsync("globex", "job_b");

        await using var acme = Context("acme");
        Assert.Equal(["job_a"], await acme.Jobs.Select(j => j.Id).ToListAsync(Ct));
        Assert.Single(await acme.JobEvents.ToListAsync(Ct));
        await using var nobody = Context(null);
        Assert.Empty(await nobody.Jobs.ToListAsync(Ct));
        Assert.Equal(2, await nobody.Jobs.IgnoreQueryFilters().CountAsync(Ct));
    }

    [Fact]
    public async Task TryMove_OnlyForward_RecordsStatusAndResultEvents()
    {
        await AddJobAsync("acme", "job_1");
        await using var db = Context("acme", out var context);
        var store = new JobStore(db, context, new JobEventHub(), [], _time);

        Assert.NotNull(await store.TryMoveAsync("job_1", JobStatus.Running, set => set.SetProperty(j => j.RunnerId, "r1"), Ct));
        Assert.NotNull(await store.TryMoveAsync("job_1", JobStatus.Succeeded, set => set.SetProperty(j => j.ExitCode, (int?)0), Ct));
        Assert.Null(await store.TryMoveAsync("job_1", JobStatus.Cancelled, null, Ct));
        Assert.Null(await store.TryMoveAsync("job_1", JobStatus.Running, null, Ct));

        var job = await store.FindAsync("job_1", Ct);
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        Assert.Equal("r1", job.RunnerId);
        Assert.Equal(0, job.ExitCode);
        Assert.Equal(_time.GetUtcNow(), job.FinishedAt);
        var events = await store.EventsAfterAsync("job_1", 0, 100, Ct);
        Assert.Equal(["status", "status", "status", "result"], events.Select(e => e.Kind));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Id < p.Second.Id));
    }

    [Fact]
    public async Task List_PagesNewestFirst_WithStatusFilter()
    {
        for (var i = 0; i < 5; i++)
        {
            await AddJobAsync("acme", $"job_{i}", i == 2 ? JobStatus.Failed : JobStatus.Succeeded);
        }

        await using var db = Context("acme", out var context);
        var store = new JobStore(db, context, new JobEventHub(), [], _time);
        var (page1, next) = await store.ListAsync(null, 3, null, Ct);
        var (page2, last) = await store.ListAsync(null, 3, next, Ct);
        Assert.Equal(["job_4", "job_3", "job_2"], page1.Select(j => j.Id));
        Assert.Equal(["job_1", "job_0"], page2.Select(j => j.Id));
        Assert.Null(last);
        Assert.Equal(["job_2"], (await store.ListAsync(JobStatus.Failed, 10, null, Ct)).Items.Select(j => j.Id));
    }

    [Fact]
    public async Task IdempotencyKey_IsUniquePerTenant()
    {
        await using (var db = Context("acme"))
        {
            db.IdempotencyKeys.Add(new IdempotencyKeyEntity { TenantId = "acme", Key = "k", RequestHash = "h", JobId = "j1" });
            db.IdempotencyKeys.Add(new IdempotencyKeyEntity { TenantId = "globex", Key = "k", RequestHash = "h", JobId = "j2" });
            await db.SaveChangesAsync(Ct);
        }

        await using var again = Context("acme");
        again.IdempotencyKeys.Add(new IdempotencyKeyEntity { TenantId = "acme", Key = "k", RequestHash = "h2", JobId = "j3" });
        await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task Sessions_RoundTripTimesAndStatus()
    {
        var now = _time.GetUtcNow();
        await using (var db = Context("acme"))
        {
            db.Sessions.Add(new SessionEntity
            {
                Id = "ses_1",
                TenantId = "acme",
                Language = "python",
                RunnerId = "r",
                SandboxId = "s",
                Status = SessionStatus.Ready,
                CreatedAt = now,
                ExpiresAt = now.AddHours(1),
                LastActiveAt = now,
                IdleTimeoutSec = 60,
                TtlSec = 3600,
            });
            await db.SaveChangesAsync(Ct);
        }

        await using var read = Context("acme");
        var session = await read.Sessions.SingleAsync(s => s.ExpiresAt > now, Ct);
        Assert.Equal(now.AddHours(1), session.ExpiresAt);
        Assert.Equal(SessionStatus.Ready, session.Status);
    }

    [Fact]
    public async Task TryMove_RacingWriters_ExactlyOneWinsAndOneResultIsStored()
    {
        await AddJobAsync("acme", "job_race", JobStatus.Running);
        var finished = new List<JobFinished>();
        var listener = new RecordingListener(finished);
        var statuses = new[] { JobStatus.Succeeded, JobStatus.Cancelled, JobStatus.Error, JobStatus.Timeout, JobStatus.Failed, JobStatus.Cancelled };

        var results = await Task.WhenAll(statuses.Select(async status =>
        {
            await using var db = Context("acme", out var context);
            var store = new JobStore(db, context, new JobEventHub(), [listener], _time);
            return await store.TryMoveAsync("job_race", status, set => set.SetProperty(j => j.Error, status.ToWireName()), Ct);
        }));

        var winner = Assert.Single(results, r => r is not null)!;
        await using var read = Context("acme", out var readContext);
        var stored = await new JobStore(read, readContext, new JobEventHub(), [], _time).FindAsync("job_race", Ct);
        Assert.Equal(winner.Status, stored!.Status);
        Assert.Equal(winner.Status.ToWireName(), stored.Error);
        Assert.Equal(1, await read.JobEvents.CountAsync(e => e.JobId == "job_race" && e.Kind == JobEventTypes.Result, Ct));
        Assert.Equal("job_race", Assert.Single(finished).JobId);
    }

    [Fact]
    public async Task MarkBusy_RacingExecutions_ExactlyOneWins()
    {
        await AddSessionAsync("ses_busy", SessionStatus.Ready);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            await using var db = Context("acme", out var context);
            try
            {
                await new SessionStore(db, context, _time).MarkBusyAsync("ses_busy", $"job_{i}", Ct);
                return $"job_{i}";
            }
            catch (Cordon.ControlPlane.Problems.ConflictException)
            {
                return null;
            }
        }));

        var winner = Assert.Single(outcomes, o => o is not null);
        await using var read = Context("acme");
        var session = await read.Sessions.SingleAsync(s => s.Id == "ses_busy", Ct);
        Assert.Equal(SessionStatus.Busy, session.Status);
        Assert.Equal(winner, session.CurrentJobId);
    }

    [Fact]
    public async Task Release_OnlyTheCurrentExecution_ReadiesABusySessionAndLeavesAnEndedOneEnded()
    {
        await AddSessionAsync("ses_rel", SessionStatus.Busy, currentJobId: "job_now");
        await AddSessionAsync("ses_gone", SessionStatus.Ended, currentJobId: "job_last");
        await using (var db = Context("acme"))
        {
            await SessionStore.ReleaseAsync(db, "acme", "ses_rel", "job_older", _time.GetUtcNow(), Ct);
            Assert.Equal(SessionStatus.Busy, (await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == "ses_rel", Ct)).Status);

            await SessionStore.ReleaseAsync(db, "acme", "ses_rel", "job_now", _time.GetUtcNow(), Ct);
            await SessionStore.ReleaseAsync(db, "acme", "ses_gone", "job_last", _time.GetUtcNow(), Ct);
        }

        await using var read = Context("acme");
        var released = await read.Sessions.SingleAsync(s => s.Id == "ses_rel", Ct);
        Assert.Equal((SessionStatus.Ready, (string?)null), (released.Status, released.CurrentJobId));
        var ended = await read.Sessions.SingleAsync(s => s.Id == "ses_gone", Ct);
        Assert.Equal((SessionStatus.Ended, (string?)null), (ended.Status, ended.CurrentJobId));
    }

    [Fact]
    public async Task AppendOutput_StoredOnceAsEvents_AssembledInOrder_BytesCountedOnJobAndTenant()
    {
        await AddJobAsync("acme", "job_out", JobStatus.Running);
        await using var db = Context("acme", out var context);
        var store = new JobStore(db, context, new JobEventHub(), [], _time);
        await store.AppendOutputAsync("job_out", JobEventTypes.Stdout, "héllo ", Ct);
        await store.AppendOutputAsync("job_out", JobEventTypes.Stderr, "warn ✓\n", Ct);
        await store.AppendOutputAsync("job_out", JobEventTypes.Stdout, "wörld\n", Ct);
        await store.AddStoredBytesAsync("job_out", 100, Ct);
        await store.TryMoveAsync("job_out", JobStatus.Succeeded, null, Ct);

        Assert.Equal(new JobOutput("héllo wörld\n", "warn ✓\n"), await store.GetOutputAsync("job_out", Ct));
        var bytes = System.Text.Encoding.UTF8.GetByteCount("héllo warn ✓\nwörld\n") + 100;
        Assert.Equal(bytes, (await store.FindAsync("job_out", Ct))!.StoredBytes);
        Assert.Equal(bytes, await TenantStorage.UsedBytesAsync(db, "acme", Ct));
        Assert.Equal(0, await TenantStorage.UsedBytesAsync(db, "globex", Ct));
        // The result event holds no second copy of the output.
        Assert.Equal("", (await store.EventsAfterAsync("job_out", 0, 100, Ct)).Single(e => e.Kind == JobEventTypes.Result).Data);
    }

    [Fact]
    public async Task RetentionSweep_RacingSweepers_EachJobExpiredOnce_TotalsExact()
    {
        for (var i = 0; i < 12; i++)
        {
            await AddJobWithOutputAsync(i % 2 == 0 ? "acme" : "globex", $"job_old_{i:D2}", new string('o', 100 + i));
        }

        _time.Advance(TimeSpan.FromHours(30));
        await AddJobWithOutputAsync("acme", "job_recent", "recent\n");
        await AddJobAsync("acme", "job_running", JobStatus.Running);
        await using (var db = Context("acme", out var context))
        {
            await new JobStore(db, context, new JobEventHub(), [], _time).AppendOutputAsync("job_running", JobEventTypes.Stdout, "still going\n", Ct);
        }

        var services = new ServiceCollection()
            .AddScoped<RequestContext>()
            .AddDbContext<CordonDbContext>(options => StorageExtensions.Configure(options, Options, DataDirectory))
            // Expiring output destroys the job's data key (these jobs have none: no artifacts).
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(new DataKeyCipher(new NoKeyWrapper()))
            .AddScoped<DataKeys>()
            .BuildServiceProvider();
        await using var disposeServices = services;
        var retention = Microsoft.Extensions.Options.Options.Create(new OutputRetentionOptions { OutputHours = 24, BatchSize = 5 });
        var sweepers = Enumerable.Range(0, 4).Select(_ => new OutputRetentionSweeper(
            services.GetRequiredService<IServiceScopeFactory>(), new LocalDirectoryObjectStore(DataDirectory), retention, _time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<OutputRetentionSweeper>.Instance)).ToList();
        // Rounds until nothing is due; the four race on the same batches.
        for (var round = 0; round < 20 && (await Task.WhenAll(sweepers.Select(s => s.SweepOnceAsync(Ct)))).Any(n => n > 0); round++)
        {
        }

        await using var read = Context(null);
        var jobs = await read.Jobs.IgnoreQueryFilters().ToListAsync(Ct);
        Assert.Equal(14, jobs.Count);
        Assert.All(jobs.Where(j => j.Id.StartsWith("job_old_", StringComparison.Ordinal)), j => Assert.Equal(_time.GetUtcNow(), j.OutputExpiredAt));
        Assert.All(jobs.Where(j => !j.Id.StartsWith("job_old_", StringComparison.Ordinal)), j => Assert.Null(j.OutputExpiredAt));
        Assert.Equal(0, await read.JobEvents.IgnoreQueryFilters().CountAsync(e => e.JobId.StartsWith("job_old_") && (e.Kind == JobEventTypes.Stdout || e.Kind == JobEventTypes.Stderr), Ct));
        // Status and result events stay: a resumed stream still ends with the result.
        Assert.Equal(12, await read.JobEvents.IgnoreQueryFilters().CountAsync(e => e.JobId.StartsWith("job_old_") && e.Kind == JobEventTypes.Result, Ct));
        Assert.Equal("recent\n".Length + "still going\n".Length, await TenantStorage.UsedBytesAsync(read, "acme", Ct));
        Assert.Equal(0, await TenantStorage.UsedBytesAsync(read, "globex", Ct));
    }

    [Fact]
    public async Task Migration_FromInitial_KeepsOutputInEvents_DropsTheCopies_CountsStoredBytes()
    {
        // A database as the first release left it: output in the job row, in the events, and in the result event.
        await using var db = Context("acme", out var context);
        await db.Database.EnsureDeletedAsync(Ct);
        await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().First(), Ct);
        object createdAt = db.Database.IsSqlite() ? 638_000_000_000_000_000L : _time.GetUtcNow();
        var artifacts = JsonSerializer.Serialize(new List<ArtifactInfo> { new() { Path = "a.txt", Size = 7, Sha256 = "x" } }, ControlPlaneJsonContext.Default.ListArtifactInfo);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO jobs ("Id", "TenantId", "Language", "Status", "Stdout", "Stderr", "StdoutTruncated", "StderrTruncated", "ArtifactsJson", "CreatedAt", "Version")
            VALUES ('job_old', 'acme', 'python', 'Succeeded', 'hello', 'err', {false}, {false}, {artifacts}, {createdAt}, 1)
            """, Ct);
        foreach (var (kind, data) in new[] { ("status", """{"status":"queued"}"""), ("stdout", """{"data":"h\u00e9llo\n"}"""), ("stderr", """{"data":"err\n"}"""), ("result", """{"id":"job_old","stdout":"h\u00e9llo\n"}""") })
        {
            await db.Database.ExecuteSqlAsync($"""INSERT INTO job_events ("TenantId", "JobId", "Kind", "Data") VALUES ('acme', 'job_old', {kind}, {data})""", Ct);
        }

        await db.Database.MigrateAsync(Ct);

        var store = new JobStore(db, context, new JobEventHub(), [], _time);
        Assert.Equal(new JobOutput("héllo\n", "err\n"), await store.GetOutputAsync("job_old", Ct));
        var bytes = System.Text.Encoding.UTF8.GetByteCount("héllo\nerr\n") + 7;
        Assert.Equal(bytes, (await store.FindAsync("job_old", Ct))!.StoredBytes);
        Assert.Equal(bytes, await TenantStorage.UsedBytesAsync(db, "acme", Ct));
        Assert.Equal("", (await store.EventsAfterAsync("job_old", 0, 10, Ct)).Single(e => e.Kind == JobEventTypes.Result).Data);
    }

    private async Task AddJobWithOutputAsync(string tenant, string id, string stdout)
    {
        await AddJobAsync(tenant, id, JobStatus.Running);
        await using var db = Context(tenant, out var context);
        var store = new JobStore(db, context, new JobEventHub(), [], _time);
        await store.AppendOutputAsync(id, JobEventTypes.Stdout, stdout, Ct);
        await store.TryMoveAsync(id, JobStatus.Succeeded, null, Ct);
    }

    private async Task AddSessionAsync(string id, SessionStatus status, string? currentJobId = null)
    {
        var now = _time.GetUtcNow();
        await using var db = Context("acme");
        db.Sessions.Add(new SessionEntity
        {
            Id = id,
            TenantId = "acme",
            Language = "python",
            RunnerId = "r",
            SandboxId = "s",
            Status = status,
            CurrentJobId = currentJobId,
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
            LastActiveAt = now,
            IdleTimeoutSec = 60,
            TtlSec = 3600,
        });
        await db.SaveChangesAsync(Ct);
    }

    private async Task AddJobAsync(string tenant, string id, JobStatus status = JobStatus.Queued)
    {
        await using var db = Context(tenant, out var context);
        var store = new JobStore(db, context, new JobEventHub(), [], _time);
        await store.AddAsync(new JobEntity { Id = id, TenantId = tenant, Language = "python", Status = status, CreatedAt = _time.GetUtcNow() }, null, Ct);
    }

    private CordonDbContext Context(string? tenant) => Context(tenant, out _);

    private CordonDbContext Context(string? tenant, out RequestContext context)
    {
        context = new RequestContext();
        if (tenant is not null)
        {
            context.InitializeForSystem(tenant);
        }

        var builder = new DbContextOptionsBuilder<CordonDbContext>();
        StorageExtensions.Configure(builder, Options, DataDirectory);
        return new CordonDbContext(builder.Options, context);
    }

    private sealed class RecordingListener(List<JobFinished> finished) : IJobFinishedListener
    {
        public Task OnJobFinishedAsync(JobFinished job, CordonDbContext db, CancellationToken cancellationToken)
        {
            lock (finished)
            {
                finished.Add(job);
            }

            return Task.CompletedTask;
        }
    }
}
