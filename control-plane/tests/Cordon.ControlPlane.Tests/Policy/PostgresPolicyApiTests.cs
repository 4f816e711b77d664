using Cordon.ControlPlane.Tests.Storage;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>
/// The policy API on PostgreSQL from <c>CORDON_TEST_POSTGRES</c>, in a database of its own; like the storage tests,
/// it fails in CI and skips on a developer machine without the variable.
/// </summary>
public sealed class PostgresPolicyApiTests : PolicyApiTests
{
    private readonly ScratchPostgresDatabase _database = new("cordon_policy_", "policy");

    protected override IReadOnlyDictionary<string, string?> Settings => _database.StorageSettings;

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
