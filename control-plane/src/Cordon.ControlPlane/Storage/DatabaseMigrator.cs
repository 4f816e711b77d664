using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Storage;

/// <summary>
/// Applies the provider's migrations at start-up, before the server takes requests (the jobs a previous process left
/// unfinished are ended afterwards, audited, by <see cref="Jobs.UnfinishedJobRecovery"/>).
/// First it makes the data directory, the artifacts directory and the SQLite file private (<see cref="PrivateFiles"/>).
/// </summary>
internal sealed partial class DatabaseMigrator(
    IServiceScopeFactory scopeFactory,
    DataDirectory dataDirectory,
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

        LogMigrated(logger, db.Database.ProviderName ?? "?");
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
        Message = "Storage ready ({Provider})")]
    private static partial void LogMigrated(ILogger logger, string provider);
}
