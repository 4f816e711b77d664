namespace Cordon.Runner.Sandboxes;

/// <summary>The runner's directories under its data directory.</summary>
internal sealed record SandboxPaths(string DataDirectory)
{
    public string Sandboxes => Path.Combine(DataDirectory, "sandboxes");

    public string RuncState => Path.Combine(DataDirectory, "runc");

    /// <summary>Slot locks are host-wide (under /run) so runners sharing a host never share uid ranges.</summary>
    public string SlotLocks { get; init; } = "/run/cordon-runner/slots";

    public string StateOf(string id) => Path.Combine(Sandboxes, id);
}
