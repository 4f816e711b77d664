using System.Runtime.Loader;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cordon.ControlPlane.Storage;

internal static class StorageExtensions
{
    public const string SqliteMigrationsAssembly = "Cordon.ControlPlane.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "Cordon.ControlPlane.Migrations.Postgres";

    private static int _resolverInstalled;

    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        InstallMigrationsResolver();
        var dataDirectory = DataDirectory.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(dataDirectory);
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddDbContext<CordonDbContext>(options => Configure(options, storage, dataDirectory));
        builder.Services.AddOptions<ObjectStoreOptions>()
            .Bind(builder.Configuration.GetSection(ObjectStoreOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var objectStore = builder.Configuration.GetSection(ObjectStoreOptions.SectionName).Get<ObjectStoreOptions>() ?? new ObjectStoreOptions();
        if (objectStore.IsS3)
        {
            builder.Services.AddSingleton<S3ObjectStore>();
            builder.Services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<S3ObjectStore>());
        }
        else
        {
            builder.Services.AddSingleton<IObjectStore, LocalDirectoryObjectStore>();
        }

        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    public static void Configure(DbContextOptionsBuilder options, StorageOptions storage, DataDirectory dataDirectory)
    {
        if (storage.IsPostgres)
        {
            options.UseNpgsql(storage.ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
        }
        else
        {
            var connectionString = storage.ConnectionString is { Length: > 0 } configured
                ? configured
                : $"Data Source={dataDirectory.Combine("cordon.db")}";
            options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
            // A SQLite migration that drops a column rebuilds the table at its end; EF warns that SQL written before
            // it runs first, and that its own PRAGMA foreign_keys step runs outside a transaction. Both are how those
            // migrations are meant to run (the rebuild copies every column: Migration_FromInitial_… proves the
            // values survive), so they stay out of a new user's first `make run` and are logged at Debug.
            options.ConfigureWarnings(warnings => warnings.Log(
                (SqliteEventId.TableRebuildPendingWarning, LogLevel.Debug),
                (RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug)));
        }
    }

    /// <summary>
    /// The migrations assemblies reference this one, so they are not in its dependency list and the default load
    /// context would not find them: resolve them from the application directory.
    /// </summary>
    private static void InstallMigrationsResolver()
    {
        if (Interlocked.Exchange(ref _resolverInstalled, 1) == 1)
        {
            return;
        }

        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (name.Name is not (SqliteMigrationsAssembly or PostgresMigrationsAssembly))
            {
                return null;
            }

            var path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            return File.Exists(path)
                ? context.LoadFromAssemblyPath(path)
                : throw new FileNotFoundException($"{name.Name}.dll is missing next to cordon-control; build the solution (scripts/build.sh) so the migrations are copied there.", path);
        };
    }
}
