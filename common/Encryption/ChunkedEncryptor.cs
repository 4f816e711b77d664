using System.Security.Cryptography;

namespace Cordon.Encryption;

/// <summary>Encrypts data held in memory into <see cref="ChunkedFormat"/> (the runner's artifacts; the control plane's re-encryption after redaction).</summary>
internal static class ChunkedEncryptor
{
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> key, ReadOnlySpan<byte> context, int chunkBytes = ChunkedFormat.DefaultChunkBytes)
    {
        if (key.Length != ChunkedFormat.KeyBytes)
        {
            throw new ArgumentException($"A data key is {ChunkedFormat.KeyBytes} bytes; this one is {key.Length}.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkBytes, ChunkedFormat.MaxChunkBytes);
        var output = new byte[ChunkedFormat.CiphertextLength(plaintext.Length, chunkBytes)];
        var header = output.AsSpan(0, ChunkedFormat.HeaderBytes);
        Span<byte> prefix = stackalloc byte[ChunkedFormat.PrefixLength];
        RandomNumberGenerator.Fill(prefix);
        ChunkedFormat.WriteHeader(header, chunkBytes, prefix);
        var associatedData = ChunkedFormat.AssociatedData(header, context);
        Span<byte> nonce = stackalloc byte[ChunkedFormat.NonceBytes];
        using var aes = new AesGcm(key, ChunkedFormat.TagBytes);
        var at = ChunkedFormat.HeaderBytes;
        for (long index = 0; ; index++)
        {
            var start = index * chunkBytes;
            var length = (int)Math.Min(chunkBytes, plaintext.Length - start);
            var final = length < chunkBytes;
            ChunkedFormat.Nonce(header, index, nonce);
            ChunkedFormat.SetChunk(associatedData, index, final);
            aes.Encrypt(nonce, plaintext.Slice((int)start, length), output.AsSpan(at, length), output.AsSpan(at + length, ChunkedFormat.TagBytes), associatedData);
            at += length + ChunkedFormat.TagBytes;
            if (final)
            {
                return output;
            }
        }
    }
}
