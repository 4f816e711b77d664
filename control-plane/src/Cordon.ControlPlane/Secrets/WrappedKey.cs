namespace Cordon.ControlPlane.Secrets;

/// <summary>A data key encrypted by the master key <see cref="KeyId"/> (stored per row, so a rotation can stop half-way).</summary>
internal sealed record WrappedKey(string KeyId, byte[] Bytes);
