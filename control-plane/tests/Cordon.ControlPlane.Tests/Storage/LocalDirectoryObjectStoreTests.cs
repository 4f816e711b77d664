using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Tests.Storage;

public sealed class LocalDirectoryObjectStoreTests : ObjectStoreContractTests
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cordon-objects-");

    public override ValueTask InitializeAsync()
    {
        Store = new LocalDirectoryObjectStore(new DataDirectory(_root.FullName));
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _root.Delete(recursive: true);
        return base.DisposeAsync();
    }
}
