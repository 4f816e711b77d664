using Npgsql;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>
/// A database of its own on the real PostgreSQL server from <c>CORDON_TEST_POSTGRES</c> (scripts/services.sh starts
/// one), created for one test and dropped after it. Without the variable the test fails in CI and skips on a
/// developer machine.
/// </summary>
internal sealed class ScratchPostgresDatabase(string prefix, string suite)
{
    private readonly string _name = prefix + Guid.NewGuid().ToString("N")[..12];
    private string? _server;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name, Pooling = false }.ConnectionString;

    /// <summary>The control plane's storage settings for this database.</summary>
    public IReadOnlyDictionary<string, string?> StorageSettings => new Dictionary<string, string?>
    {
        ["Cordon:Storage:Provider"] = "postgres",
        ["Cordon:Storage:ConnectionString"] = ConnectionString,
    };

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        _server = Environment.GetEnvironmentVariable("CORDON_TEST_POSTGRES");
        if (string.IsNullOrEmpty(_server))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"CORDON_TEST_POSTGRES is not set; CI must run the PostgreSQL {suite} tests (scripts/services.sh start).");
            }

            Assert.Skip("CORDON_TEST_POSTGRES is not set; run: eval \"$(scripts/services.sh start)\"");
        }

        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DropAsync()
    {
        if (string.IsNullOrEmpty(_server))
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
