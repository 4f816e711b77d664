using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Tests.Storage;

public sealed class SqliteStorageTests : StorageTests
{
    private protected override StorageOptions Options => new() { Provider = "sqlite" };
}
