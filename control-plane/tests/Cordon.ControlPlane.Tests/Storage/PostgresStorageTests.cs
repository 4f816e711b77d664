using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>
/// The storage tests against a real PostgreSQL server from <c>CORDON_TEST_POSTGRES</c> (scripts/services.sh starts
/// one), each test in a database of its own. Without the variable they fail in CI and skip on a developer machine.
/// </summary>
public sealed class PostgresStorageTests : StorageTests
{
    private readonly ScratchPostgresDatabase _database = new("cordon_test_", "storage");

    private protected override StorageOptions Options => new()
    {
        Provider = "postgres",
        ConnectionString = _database.ConnectionString,
    };

    public override async ValueTask InitializeAsync()
    {
        await _database.CreateAsync(Ct);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await _database.DropAsync();
        await base.DisposeAsync();
    }
}
