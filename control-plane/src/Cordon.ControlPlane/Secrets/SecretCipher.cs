using System.Security.Cryptography;
using System.Text;

namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// Envelope encryption of one secret: a fresh random 256-bit data key per value, AES-256-GCM with the tenant and
/// the name as associated data (a row copied to another tenant or name does not decrypt), the data key wrapped by
/// the master key through <see cref="IKeyWrapper"/>.
/// </summary>
internal sealed class SecretCipher(IKeyWrapper wrapper)
{
    private const int DataKeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public async Task<SealedSecret> SealAsync(string tenant, string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var dataKey = RandomNumberGenerator.GetBytes(DataKeyBytes);
        try
        {
            var ciphertext = new byte[NonceBytes + value.Length + TagBytes];
            var nonce = ciphertext.AsSpan(0, NonceBytes);
            RandomNumberGenerator.Fill(nonce);
            using (var aes = new AesGcm(dataKey, TagBytes))
            {
                aes.Encrypt(nonce, value.Span, ciphertext.AsSpan(NonceBytes, value.Length), ciphertext.AsSpan(NonceBytes + value.Length), Context("value", tenant, name));
            }

            var wrapped = await wrapper.WrapAsync(dataKey, Context("key", tenant, name), cancellationToken);
            return new SealedSecret(wrapped, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public async Task<byte[]> OpenAsync(string tenant, string name, SealedSecret sealedSecret, CancellationToken cancellationToken)
    {
        var dataKey = await wrapper.UnwrapAsync(sealedSecret.Key, Context("key", tenant, name), cancellationToken);
        try
        {
            var ciphertext = sealedSecret.Ciphertext;
            if (ciphertext.Length < NonceBytes + TagBytes)
            {
                throw new MasterKeyMismatchException($"The stored value of secret '{name}' is truncated; the row was changed outside the control plane.");
            }

            var length = ciphertext.Length - NonceBytes - TagBytes;
            var value = new byte[length];
            using var aes = new AesGcm(dataKey, TagBytes);
            aes.Decrypt(ciphertext.AsSpan(0, NonceBytes), ciphertext.AsSpan(NonceBytes, length), ciphertext.AsSpan(NonceBytes + length), value, Context("value", tenant, name));
            return value;
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new MasterKeyMismatchException($"The stored value of secret '{name}' does not decrypt: the row was changed outside the control plane.", exception);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>The same data key, wrapped again by the current master key (the value is not touched).</summary>
    public async Task<WrappedKey> RewrapAsync(string tenant, string name, WrappedKey wrapped, CancellationToken cancellationToken)
    {
        var context = Context("key", tenant, name);
        var dataKey = await wrapper.UnwrapAsync(wrapped, context, cancellationToken);
        try
        {
            return await wrapper.WrapAsync(dataKey, context, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    // Tenant ids and secret names have no NUL, so the parts cannot run into each other.
    private static byte[] Context(string purpose, string tenant, string name) =>
        Encoding.UTF8.GetBytes($"cordon-secret-v1\0{purpose}\0{tenant}\0{name}");
}
