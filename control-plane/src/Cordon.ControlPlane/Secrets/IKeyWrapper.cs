namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// The master key's one job: wrap and unwrap data keys. A file key today (<see cref="FileKeyWrapper"/>); a KMS later
/// implements the same calls (and its own rotation). The master key itself never leaves the implementation.
/// </summary>
internal interface IKeyWrapper
{
    /// <summary>False when no master key is configured: every other call throws <see cref="SecretStoreDisabledException"/>.</summary>
    bool Available { get; }

    /// <summary>The id of the key new data keys are wrapped by.</summary>
    string CurrentKeyId { get; }

    /// <summary>Wraps <paramref name="dataKey"/> by the current master key, bound to <paramref name="context"/> (associated data).</summary>
    ValueTask<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> context, CancellationToken cancellationToken);

    /// <summary>The data key; <see cref="MasterKeyMismatchException"/> when the key it names is not loaded or does not open it.</summary>
    ValueTask<byte[]> UnwrapAsync(WrappedKey wrapped, ReadOnlyMemory<byte> context, CancellationToken cancellationToken);

    /// <summary>
    /// Starts (or resumes) a rotation: a new master key becomes the current one for wrapping, the old one stays
    /// loaded for unwrapping. Returns the old and the new key ids.
    /// </summary>
    ValueTask<(string OldKeyId, string NewKeyId)> BeginRotationAsync(CancellationToken cancellationToken);

    /// <summary>Ends a rotation once no data key is wrapped by the old key: the old key is deleted.</summary>
    ValueTask CompleteRotationAsync(string newKeyId, CancellationToken cancellationToken);
}
