using Cordon.Runner.Agent;
using Cordon.Runner.Dependencies;
using Cordon.Runner.Egress;
using Cordon.Runner.Runtimes;

namespace Cordon.Runner.Sandboxes;

/// <summary>A live sandbox: its container, its agent (and the channel and log the runner holds to it), its limits and where its state lives.</summary>
internal sealed class Sandbox(
    string id,
    string tenant,
    RuntimeDefinition runtime,
    EffectiveLimits limits,
    int slot,
    string stateDirectory,
    IReadOnlyDictionary<string, string> env,
    DateTimeOffset createdAt) : IDisposable
{
    public string Id { get; } = id;

    public string Tenant { get; } = tenant;

    public RuntimeDefinition Runtime { get; } = runtime;

    public EffectiveLimits Limits { get; } = limits;

    public int Slot { get; } = slot;

    public string StateDirectory { get; } = stateDirectory;

    /// <summary>Environment every execution in this sandbox starts with (the request's variables go on top).</summary>
    public IReadOnlyDictionary<string, string> Env { get; } = env;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>
    /// The values of the secrets asked for as environment variables: set last in every execution's environment, so
    /// a request's own variable of the same name cannot shadow them. In memory only, for this sandbox's life.
    /// </summary>
    public IReadOnlyDictionary<string, string> SecretEnv { get; init; } = new Dictionary<string, string>();

    /// <summary>The owner the control plane named at <c>CreateSandbox</c> (a session id); null for a one-shot job's.</summary>
    public string? OwnerId { get; init; }

    /// <summary>The sandbox's egress proxy, when it was given an allowlist; the only way out of its network namespace.</summary>
    public EgressProxy? Egress { get; set; }

    /// <summary>An installing sandbox's registry mirror, on the egress socket in place of the proxy.</summary>
    public RegistryMirror? Mirror { get; set; }

    /// <summary>The installed set mounted at <see cref="PackageMount.InSandbox"/>, if any; its lease ends with the sandbox.</summary>
    public PackageMount? Packages { get; init; }

    /// <summary>A <c>RunJob</c> sandbox, destroyed by the runner itself when the job ends.</summary>
    public bool OneShot { get; init; }

    public string CgroupsPath => $"/cordon/{Id}";

    /// <summary>The runner's end of the agent's control channel; the other end becomes the container's stdin.</summary>
    public AgentChannel Channel { get; } = new();

    /// <summary>The container's stdout/stderr, drained into a capped <c>init.log</c> (the state directory must exist).</summary>
    public AgentLog Log { get; } = new(Path.Combine(stateDirectory, "init.log"));

    public AgentClient Agent => new(Channel);

    public void Dispose()
    {
        Channel.Dispose();
        Log.Dispose();
    }
}
