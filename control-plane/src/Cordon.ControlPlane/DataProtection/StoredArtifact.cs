namespace Cordon.ControlPlane.DataProtection;

/// <summary>An artifact as it goes into the object store: <see cref="Ciphertext"/>, with the size and digest of its plaintext.</summary>
internal sealed record StoredArtifact(ReadOnlyMemory<byte> Ciphertext, long Size, string Sha256);
