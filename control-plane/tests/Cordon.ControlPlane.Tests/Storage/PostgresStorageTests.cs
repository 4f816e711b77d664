using Cordon.ControlPlane.Storage;
using Npgsql;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>
/// The storage tests against a real PostgreSQL server from <c>CORDON_TEST_POSTGRES</c> (scripts/services.sh starts
/// one), each test in a database of its own. Without the variable they fail in CI and skip on a developer machine.
/// </summary>
public sealed class PostgresStorageTests : StorageTests
{
    private readonly string _database = "cordon_test_" + Guid.NewGuid().ToString("N")[..12];
    private string? _server;

    private protected override StorageOptions Options => new()
    {
        Provider = "postgres",
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _database, Pooling = false }.ConnectionString,
    };

    public override async ValueTask InitializeAsync()
    {
        _server = Environment.GetEnvironmentVariable("CORDON_TEST_POSTGRES");
        if (string.IsNullOrEmpty(_server))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("CORDON_TEST_POSTGRES is not set; CI must run the PostgreSQL storage tests (scripts/services.sh start).");
            }

            Assert.Skip("CORDON_TEST_POSTGRES is not set; run: eval \"$(scripts/services.sh start)\"");
        }

        await using (var connection = new NpgsqlConnection(_server))
        {
            await connection.OpenAsync(Ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await create.ExecuteNonQueryAsync(Ct);
        }

        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (!string.IsNullOrEmpty(_server))
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await base.DisposeAsync();
    }
}
