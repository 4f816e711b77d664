using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Storage;

/// <summary>
/// Applies the provider's migrations at start-up, before the server takes requests, and ends the jobs a previous
/// process left unfinished (their runner calls died with that process) and the sessions those jobs kept busy.
/// First it makes the data directory, the artifacts directory and the SQLite file private (<see cref="PrivateFiles"/>).
/// </summary>
internal sealed partial class DatabaseMigrator(
    IServiceScopeFactory scopeFactory,
    DataDirectory dataDirectory,
    TimeProvider timeProvider,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PrivateFiles.EnsureDataDirectory(dataDirectory.Path);
        PrivateFiles.CreateDirectory(dataDirectory.Combine(LocalDirectoryObjectStore.DirectoryName));
        PrivateFiles.Tighten(dataDirectory.Combine("auth"), PrivateFiles.DirectoryMode);
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        if (db.Database.IsSqlite() && SqliteFile(db.Database.GetConnectionString()) is { } file)
        {
            PrivateFiles.EnsureSqliteFile(file);
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the SSE readers read while the job runner writes output.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        var orphaned = await db.Jobs.IgnoreQueryFilters()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(j => j.Status, JobStatus.Error)
                    .SetProperty(j => j.Error, "the control plane restarted while the job was unfinished")
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.Version, j => j.Version + 1),
                cancellationToken);
        // Their executions were among those jobs, and no worker is left to release them.
        var released = await db.Sessions.IgnoreQueryFilters()
            .Where(s => s.Status == SessionStatus.Busy)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.Status, SessionStatus.Ready)
                    .SetProperty(s => s.CurrentJobId, (string?)null)
                    .SetProperty(s => s.Version, s => s.Version + 1),
                cancellationToken);
        LogMigrated(logger, db.Database.ProviderName ?? "?", orphaned, released);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string? SqliteFile(string? connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" || builder.DataSource.StartsWith("file:", StringComparison.Ordinal)
            ? null
            : builder.DataSource;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Storage ready ({Provider}); {Orphaned} unfinished job(s) from a previous run marked error, {Released} busy session(s) ready again")]
    private static partial void LogMigrated(ILogger logger, string provider, int orphaned, int released);
}
