namespace Cordon.ControlPlane.Storage;

/// <summary>Object storage for artifacts. Keys are '/'-separated and already validated by the caller.</summary>
internal interface IObjectStore
{
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The object's content, or null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting one that is not there is not an error (sweeps may race or repeat).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Null when objects can be stored now; otherwise why not (the readiness check).</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}
