using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Hosting;

/// <summary>Prepares the sandbox manager before the server takes calls, and drains it on shutdown.</summary>
internal sealed class RunnerInitializer(SandboxManager sandboxes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => sandboxes.InitializeAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await sandboxes.DisposeAsync();
}
