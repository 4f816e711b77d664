using System.Security.Cryptography;
using System.Text;
using Cordon.ControlPlane.Secrets;
using Cordon.Encryption;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// Wraps workspace data keys by the same master key as secrets' data keys (<see cref="IKeyWrapper"/>, so one key file,
/// one rotation), with the tenant and owner as associated data: a wrapped key copied to another tenant's or job's row
/// does not unwrap. Without a master key configured the key is kept as it is under the id <see cref="PlainKeyId"/>
/// (still only in the database, so shredding works; the start-up log says so); the next master-key rotation wraps it.
/// </summary>
internal sealed class DataKeyCipher(IKeyWrapper wrapper)
{
    public const string PlainKeyId = "plain";

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(ChunkedFormat.KeyBytes);

    public async Task<WrappedKey> WrapAsync(string tenant, string ownerId, byte[] dataKey, CancellationToken cancellationToken) =>
        wrapper.Available
            ? await wrapper.WrapAsync(dataKey, Context(tenant, ownerId), cancellationToken)
            : new WrappedKey(PlainKeyId, dataKey.ToArray());

    public async Task<byte[]> UnwrapAsync(string tenant, string ownerId, WrappedKey wrapped, CancellationToken cancellationToken) =>
        wrapped.KeyId == PlainKeyId
            ? wrapped.Bytes.ToArray()
            : await wrapper.UnwrapAsync(wrapped, Context(tenant, ownerId), cancellationToken);

    /// <summary>The same key wrapped by the current master key (rotation).</summary>
    public async Task<WrappedKey> RewrapAsync(string tenant, string ownerId, WrappedKey wrapped, CancellationToken cancellationToken)
    {
        var dataKey = await UnwrapAsync(tenant, ownerId, wrapped, cancellationToken);
        try
        {
            return await wrapper.WrapAsync(dataKey, Context(tenant, ownerId), cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    // Tenant ids and job/session ids hold no NUL, so the parts cannot run into each other.
    private static byte[] Context(string tenant, string ownerId) => Encoding.UTF8.GetBytes($"cordon-datakey-v1\0{tenant}\0{ownerId}");
}
