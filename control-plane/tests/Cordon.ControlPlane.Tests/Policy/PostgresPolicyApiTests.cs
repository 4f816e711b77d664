using Npgsql;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>
/// The policy API on PostgreSQL from <c>CORDON_TEST_POSTGRES</c>, in a database of its own; like the storage tests,
/// it fails in CI and skips on a developer machine without the variable.
/// </summary>
public sealed class PostgresPolicyApiTests : PolicyApiTests
{
    private readonly string _database = "cordon_policy_" + Guid.NewGuid().ToString("N")[..12];
    private string? _server;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cordon:Storage:Provider"] = "postgres",
        ["Cordon:Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(_server) { Database = _database, Pooling = false }.ConnectionString,
    };

    public override async ValueTask InitializeAsync()
    {
        _server = Environment.GetEnvironmentVariable("CORDON_TEST_POSTGRES");
        if (string.IsNullOrEmpty(_server))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("CORDON_TEST_POSTGRES is not set; CI must run the PostgreSQL policy tests (scripts/services.sh start).");
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
        await base.DisposeAsync();
        if (!string.IsNullOrEmpty(_server))
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
