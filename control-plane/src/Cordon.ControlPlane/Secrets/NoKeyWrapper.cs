namespace Cordon.ControlPlane.Secrets;

/// <summary>No master key configured: the secret store is off, and says so on every use.</summary>
internal sealed class NoKeyWrapper : IKeyWrapper
{
    public bool Available => false;

    public string CurrentKeyId => throw new SecretStoreDisabledException();

    public ValueTask<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> context, CancellationToken cancellationToken) =>
        throw new SecretStoreDisabledException();

    public ValueTask<byte[]> UnwrapAsync(WrappedKey wrapped, ReadOnlyMemory<byte> context, CancellationToken cancellationToken) =>
        throw new SecretStoreDisabledException();

    public ValueTask<(string OldKeyId, string NewKeyId)> BeginRotationAsync(CancellationToken cancellationToken) =>
        throw new SecretStoreDisabledException();

    public ValueTask CompleteRotationAsync(string newKeyId, CancellationToken cancellationToken) =>
        throw new SecretStoreDisabledException();
}
