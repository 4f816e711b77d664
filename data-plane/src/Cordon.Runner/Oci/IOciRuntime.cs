using System.Runtime.InteropServices;
using Cordon.Runner.Agent;

namespace Cordon.Runner.Oci;

/// <summary>The OCI runtime's verbs, as runc, runsc and crun share them. The one seam to the container runtime.</summary>
internal interface IOciRuntime
{
    /// <summary>The runtime's name and version, e.g. <c>runc 1.1.5</c>.</summary>
    string Describe { get; }

    /// <summary>Checks the runtime answers and learns its version; start-up calls it once, before any other verb.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates and starts the container detached; its init keeps running after this returns with
    /// <paramref name="stdin"/> as fd 0 (the agent's control channel) and <paramref name="log"/>'s end as fds 1
    /// and 2, and no other fd of the runner.
    /// </summary>
    Task RunDetachedAsync(string id, string bundleDirectory, SafeHandle stdin, AgentLog log, CancellationToken cancellationToken);

    /// <summary>Kills every process of the container and removes it (and its cgroup). Missing is fine.</summary>
    Task DeleteForceAsync(string id, CancellationToken cancellationToken);

    /// <summary>The ids of the containers this runtime knows under the runner's state root.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);
}
