using Cordon.ControlPlane.Tests.Storage;

namespace Cordon.ControlPlane.Tests.DataProtection;

/// <summary>
/// <see cref="WorkspaceDataProtectionTests"/> on PostgreSQL from <c>CORDON_TEST_POSTGRES</c>, in a database of its own;
/// fails in CI and skips on a developer machine without the variable.
/// </summary>
public sealed class PostgresWorkspaceDataProtectionTests : WorkspaceDataProtectionTests
{
    private readonly ScratchPostgresDatabase _database = new("cordon_protect_", "data protection");

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
}
