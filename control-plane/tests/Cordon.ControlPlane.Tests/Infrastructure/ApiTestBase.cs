using Cordon.ControlPlane.Tests.Fakes;

namespace Cordon.ControlPlane.Tests.Infrastructure;

/// <summary>A fresh control plane and fake runner per test.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    private protected ControlPlaneFactory Factory { get; private set; } = null!;

    private protected FakeRunnerHost Runner { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public async ValueTask InitializeAsync() => (Factory, Runner) = await ControlPlaneFactory.StartAsync(Settings);

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Runner.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
