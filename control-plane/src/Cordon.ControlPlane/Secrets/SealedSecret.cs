namespace Cordon.ControlPlane.Secrets;

/// <summary>A value as <see cref="SecretCipher"/> sealed it: the wrapped data key and the encrypted value.</summary>
internal sealed record SealedSecret(WrappedKey Key, byte[] Ciphertext)
{
    /// <summary>The sealed value a stored row holds.</summary>
    public static SealedSecret Of(SecretEntity row) => new(new WrappedKey(row.KeyId, row.WrappedKey), row.Ciphertext);
}
