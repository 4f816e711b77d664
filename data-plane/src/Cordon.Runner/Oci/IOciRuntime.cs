namespace Cordon.Runner.Oci;

/// <summary>
/// An OCI runtime (runc, crun, runsc) driven through its command line; one method per verb, as the runtime
/// spec names them. Every container lives under the runner's own state root.
/// </summary>
internal interface IOciRuntime
{
    /// <summary>"runc 1.1.5" and the runtime's known hardening gaps, for health.</summary>
    OciRuntimeInfo Info { get; }

    /// <summary>Creates and starts the container in one step (<c>run --detach</c>).</summary>
    Task RunDetachedAsync(string id, string bundle, CancellationToken cancellationToken);

    Task CreateAsync(string id, string bundle, CancellationToken cancellationToken);

    Task StartAsync(string id, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="signal"/> to the container's init (or every process with <paramref name="all"/>).</summary>
    Task KillAsync(string id, string signal, bool all, CancellationToken cancellationToken);

    /// <summary>Deletes the container; <paramref name="force"/> kills it first.</summary>
    Task DeleteAsync(string id, bool force, CancellationToken cancellationToken);

    /// <summary>The container's status (<c>created</c>, <c>running</c>, <c>stopped</c>), or null when unknown.</summary>
    Task<string?> StateAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ids of every container under the runner's state root.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);
}
