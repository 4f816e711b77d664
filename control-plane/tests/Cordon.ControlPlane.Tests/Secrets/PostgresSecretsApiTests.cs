using Cordon.ControlPlane.Tests.Storage;
using Npgsql;

namespace Cordon.ControlPlane.Tests.Secrets;

/// <summary>
/// The secrets API on PostgreSQL from <c>CORDON_TEST_POSTGRES</c>, in a database of its own whose rows are read back
/// directly; like the storage tests, it fails in CI and skips on a developer machine without the variable.
/// </summary>
public sealed class PostgresSecretsApiTests : SecretsApiTests
{
    private readonly ScratchPostgresDatabase _database = new("cordon_secrets_", "secrets");

    protected override IReadOnlyDictionary<string, string?> StorageSettings => _database.StorageSettings;

    public override async ValueTask InitializeAsync()
    {
        await _database.CreateAsync(Ct);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DropAsync();
    }

    private protected override async Task<IReadOnlyList<(string KeyId, IReadOnlyList<byte[]> Columns)>> ReadRowsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT \"TenantId\", \"Name\", \"KeyId\", \"CreatedAt\"::text, \"UpdatedAt\"::text, \"WrappedKey\", \"Ciphertext\" FROM secrets ORDER BY \"TenantId\", \"Name\"", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, IReadOnlyList<byte[]>)>();
        while (await reader.ReadAsync(Ct))
        {
            var columns = new List<byte[]>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add(reader.GetValue(i) is byte[] bytes ? bytes : System.Text.Encoding.UTF8.GetBytes(reader.GetString(i)));
            }

            rows.Add((reader.GetString(2), columns));
        }

        return rows;
    }
}
