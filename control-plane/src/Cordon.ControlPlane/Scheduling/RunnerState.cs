using Cordon.Contracts.Runner.V1;
using Grpc.Net.Client;

namespace Cordon.ControlPlane.Scheduling;

/// <summary>What the control plane knows about one runner: its channel, its last health and the work it holds.</summary>
internal sealed class RunnerState(string id, Uri url, string? token, GrpcChannel channel)
{
    private int _inFlight;

    public string Id { get; } = id;

    public Uri Url { get; } = url;

    public string? Token { get; } = token;

    public Runner.RunnerClient Client { get; } = new(channel);

    public GrpcChannel Channel { get; } = channel;

    public volatile bool IsUp;

    public int ConsecutiveFailures;

    public HealthReply? LastHealth { get; set; }

    public string? LastError { get; set; }

    /// <summary>Work placed here by this control plane that the last health reply may not count yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public int FreeCapacity => LastHealth is null ? 0 : LastHealth.Capacity - Math.Max(LastHealth.ActiveSandboxes, InFlight);

    public void Acquire() => Interlocked.Increment(ref _inFlight);

    public void Release() => Interlocked.Decrement(ref _inFlight);

    public bool HasRuntime(string language) =>
        LastHealth?.Runtimes.Any(r => string.Equals(r.Language, language, StringComparison.OrdinalIgnoreCase)) == true;
}
