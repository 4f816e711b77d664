using Cordon.Runner.Agent;
using Cordon.Runner.Runtimes;

namespace Cordon.Runner.Sandboxes;

/// <summary>One live sandbox: a runc container whose PID 1 is <c>cordon-init</c>.</summary>
internal sealed class Sandbox
{
    private int _destroying;

    public required string Id { get; init; }
    public required int Slot { get; init; }
    public required RuntimeDefinition Runtime { get; init; }
    public required RuntimeLimits Limits { get; init; }
    public required string StateDir { get; init; }
    public required AgentClient Agent { get; init; }
    public required CgroupReader Cgroup { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public string Tenant { get; init; } = "";
    public string OwnerId { get; init; } = "";
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>One execution at a time: output, usage and limits are per execution.</summary>
    public SemaphoreSlim ExecLock { get; } = new(1, 1);

    public bool IsDestroying => Volatile.Read(ref _destroying) != 0;

    /// <summary>True for the one caller that gets to destroy it.</summary>
    internal bool TryMarkDestroying() => Interlocked.Exchange(ref _destroying, 1) == 0;
}
