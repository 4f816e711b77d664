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

    private int _up;

    public bool IsUp
    {
        get => Volatile.Read(ref _up) == 1;
        set => Volatile.Write(ref _up, value ? 1 : 0);
    }

    /// <summary>Up → down; true for the one caller that made the change, so the loss is handled once.</summary>
    public bool MarkDown() => Interlocked.CompareExchange(ref _up, 0, 1) == 1;

    /// <summary>The failed health checks since the last success.</summary>
    public RunnerFailureStreak Failures { get; } = new();

    /// <summary>The runner process's <c>instance_id</c> at the last health check; a change means it restarted.</summary>
    public string? InstanceId { get; set; }

    /// <summary>The reconciliation running for this runner, if any (one at a time).</summary>
    public Task? Reconciling { get; set; }

    /// <summary>When the next periodic reconciliation is due.</summary>
    public DateTimeOffset NextReconcileAt { get; set; }

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
