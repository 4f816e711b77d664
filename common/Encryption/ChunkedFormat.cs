using System.Buffers.Binary;

namespace Cordon.Encryption;

/// <summary>
/// The one at-rest format of workspace data (artifacts), written by the runner and read by the control plane:
/// <code>
/// header  "CDE" | version (1) | chunk size (uint32 BE) | nonce prefix (8 random bytes)     16 bytes
/// chunk i ciphertext (chunk size bytes, the last one shorter, possibly empty) | GCM tag    +16 bytes
/// </code>
/// AES-256-GCM under the data key; chunk i's nonce is the prefix followed by i (uint32 BE), and its associated data
/// is the header, i (uint64 BE), a final flag (1 on the last chunk only) and the caller's context (the object's
/// tenant, job and path), so a flipped byte, a dropped, swapped or repeated chunk, a cut at any point, an edited
/// header or an object moved to another name or job all fail to decrypt. Every stream ends with a chunk shorter than
/// the chunk size (empty when the data fills its chunks), so a reader knows the last chunk without a length field.
/// </summary>
internal static class ChunkedFormat
{
    public const byte Version = 1;
    public const int HeaderBytes = 16;
    public const int TagBytes = 16;
    public const int NonceBytes = 12;
    public const int KeyBytes = 32;
    public const int DefaultChunkBytes = 64 * 1024;
    public const int MaxChunkBytes = 1024 * 1024;

    private const int PrefixBytes = 8;

    public static ReadOnlySpan<byte> Magic => "CDE"u8;

    /// <summary>Bytes of ciphertext for <paramref name="plaintextBytes"/> of data.</summary>
    public static long CiphertextLength(long plaintextBytes, int chunkBytes = DefaultChunkBytes) =>
        HeaderBytes + (plaintextBytes / chunkBytes * (chunkBytes + TagBytes)) + (plaintextBytes % chunkBytes) + TagBytes;

    public static void WriteHeader(Span<byte> header, int chunkBytes, ReadOnlySpan<byte> noncePrefix)
    {
        Magic.CopyTo(header);
        header[3] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..8], (uint)chunkBytes);
        noncePrefix.CopyTo(header[8..HeaderBytes]);
    }

    /// <summary>The chunk size of a header; <see cref="EncryptedDataException"/> when it is not one this version wrote.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderBytes || !header[..3].SequenceEqual(Magic))
        {
            throw new EncryptedDataException("the data is not in Cordon's encrypted format (no header)");
        }

        if (header[3] != Version)
        {
            throw new EncryptedDataException($"the data is in encrypted format version {header[3]}; this build reads version {Version}");
        }

        var chunkBytes = BinaryPrimitives.ReadUInt32BigEndian(header[4..8]);
        return chunkBytes is > 0 and <= MaxChunkBytes
            ? (int)chunkBytes
            : throw new EncryptedDataException($"the header names a chunk size of {chunkBytes} bytes");
    }

    public static void Nonce(ReadOnlySpan<byte> header, long index, Span<byte> nonce)
    {
        if (index > uint.MaxValue)
        {
            throw new EncryptedDataException("the data has more chunks than the format can number");
        }

        header[8..HeaderBytes].CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[PrefixBytes..], (uint)index);
    }

    /// <summary>header | index | final | context: what each chunk's tag covers besides its ciphertext.</summary>
    public static byte[] AssociatedData(ReadOnlySpan<byte> header, ReadOnlySpan<byte> context)
    {
        var data = new byte[HeaderBytes + 9 + context.Length];
        header[..HeaderBytes].CopyTo(data);
        context.CopyTo(data.AsSpan(HeaderBytes + 9));
        return data;
    }

    public static void SetChunk(byte[] associatedData, long index, bool final)
    {
        BinaryPrimitives.WriteUInt64BigEndian(associatedData.AsSpan(HeaderBytes, 8), (ulong)index);
        associatedData[HeaderBytes + 8] = final ? (byte)1 : (byte)0;
    }

    public static int PrefixLength => PrefixBytes;
}
