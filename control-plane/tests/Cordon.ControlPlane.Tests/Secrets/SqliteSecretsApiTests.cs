using Microsoft.Data.Sqlite;

namespace Cordon.ControlPlane.Tests.Secrets;

/// <summary>The secrets API on the embedded default store, SQLite, whose file is read back directly.</summary>
public sealed class SqliteSecretsApiTests : SecretsApiTests
{
    private protected override async Task<IReadOnlyList<(string KeyId, IReadOnlyList<byte[]> Columns)>> ReadRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Factory.DataDir, "cordon.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = new SqliteCommand("SELECT TenantId, Name, KeyId, CreatedAt, UpdatedAt, WrappedKey, Ciphertext FROM secrets ORDER BY TenantId, Name", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, IReadOnlyList<byte[]>)>();
        while (await reader.ReadAsync(Ct))
        {
            var columns = new List<byte[]>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add(reader.GetValue(i) switch
                {
                    byte[] bytes => bytes,
                    var other => System.Text.Encoding.UTF8.GetBytes(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)!),
                });
            }

            rows.Add((reader.GetString(2), columns));
        }

        return rows;
    }
}
