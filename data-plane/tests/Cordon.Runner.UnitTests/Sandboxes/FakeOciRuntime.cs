using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Cordon.Runner.Agent;
using Cordon.Runner.Oci;

namespace Cordon.Runner.UnitTests.Sandboxes;

/// <summary>
/// An in-memory OCI runtime: <c>run</c> reads the bundle's <c>config.json</c> and starts a <see cref="FakeAgent"/> on
/// the control channel the runner hands the container as stdin; <c>delete</c> stops it; <c>list</c> names what runs (plus leftovers a
/// test plants, as a crashed runner would leave them). Every verb is recorded in order.
/// </summary>
internal sealed class FakeOciRuntime : IOciRuntime
{
    private readonly ConcurrentDictionary<string, FakeAgent> _running = new(StringComparer.Ordinal);

    public string Describe => "fake-oci 1.0";

    public bool Initialized { get; private set; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentDictionary<string, JsonNode> Bundles { get; } = new(StringComparer.Ordinal);

    /// <summary>Containers a previous runner left: listed until deleted.</summary>
    public ConcurrentDictionary<string, byte> Leftovers { get; } = new(StringComparer.Ordinal);

    /// <summary>Set to make the next runs fail the way runc does.</summary>
    public string? RunFailure { get; set; }

    public IReadOnlyCollection<string> Running => [.. _running.Keys];

    public FakeAgent Agent(string id) => _running[id];

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        Initialized = true;
        return Task.CompletedTask;
    }

    public async Task RunDetachedAsync(string id, string bundleDirectory, SafeHandle stdin, AgentLog log, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"run {id}");
        if (RunFailure is { } failure)
        {
            throw new OciRuntimeException($"{Describe} run {id} failed (1): {failure}");
        }

        Bundles[id] = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundleDirectory, "config.json"), cancellationToken))!;
        _running[id] = FakeAgent.Start(stdin);
    }

    public async Task DeleteForceAsync(string id, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"delete {id}");
        Leftovers.TryRemove(id, out _);
        if (_running.TryRemove(id, out var agent))
        {
            await agent.DisposeAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _running.Keys, .. Leftovers.Keys]);
}
