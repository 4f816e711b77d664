using System.Security.Cryptography;
using System.Text;
using Cordon.Encryption;

namespace Cordon.Runner.UnitTests.Encryption;

/// <summary>The at-rest format both planes share: round trips, and every kind of tampering refused.</summary>
public sealed class ChunkedFormatTests
{
    private const int Chunk = 64;
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Context = ArtifactContext.For("acme", "job_1", "out/a.bin");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData((3 * Chunk) + 5)]
    [InlineData(4 * Chunk)]
    public async Task EncryptThenDecrypt_AnySize_GivesThePlaintextBack(int size)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);

        var ciphertext = ChunkedEncryptor.Encrypt(plaintext, Key, Context, Chunk);

        Assert.Equal(ChunkedFormat.CiphertextLength(size, Chunk), ciphertext.Length);
        Assert.Equal(plaintext, DecryptingStream.DecryptAll(ciphertext, Key, Context));
        Assert.Equal(plaintext, await DecryptStreamingAsync(ciphertext, Key, Context));
    }

    [Fact]
    public async Task LargeData_DefaultChunks_StreamsBackInSmallReads()
    {
        var plaintext = RandomNumberGenerator.GetBytes((5 * ChunkedFormat.DefaultChunkBytes) + 123);
        var ciphertext = ChunkedEncryptor.Encrypt(plaintext, Key, Context);

        await using var stream = await DecryptingStream.OpenAsync(new MemoryStream(ciphertext), Key, Context, Ct);
        using var copy = new MemoryStream();
        var buffer = new byte[1000];
        int read;
        while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(plaintext, copy.ToArray());
    }

    [Fact]
    public void Ciphertext_HoldsNoPlaintext_AndDiffersEachTime()
    {
        var plaintext = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("MARKER-PLAINTEXT ", 40)));

        var first = ChunkedEncryptor.Encrypt(plaintext, Key, Context, Chunk);
        var second = ChunkedEncryptor.Encrypt(plaintext, Key, Context, Chunk);

        Assert.Equal(-1, first.AsSpan().IndexOf("MARKER"u8));
        Assert.NotEqual(first, second); // a fresh nonce prefix per object
        Assert.Equal((byte)'C', first[0]);
        Assert.Equal(ChunkedFormat.Version, first[3]);
    }

    [Fact]
    public async Task FlippedByte_AnywhereInHeaderChunksOrTags_IsRefused()
    {
        var ciphertext = ChunkedEncryptor.Encrypt(RandomNumberGenerator.GetBytes((2 * Chunk) + 10), Key, Context, Chunk);

        for (var at = 0; at < ciphertext.Length; at++)
        {
            var flipped = ciphertext.ToArray();
            flipped[at] ^= 0x01;
            await AssertRefusedAsync(flipped);
        }
    }

    [Fact]
    public async Task DroppedChunk_IsRefused()
    {
        var chunks = Split(ChunkedEncryptor.Encrypt(RandomNumberGenerator.GetBytes((3 * Chunk) + 10), Key, Context, Chunk));

        await AssertRefusedAsync(Join(chunks[0], chunks[1], chunks[3], chunks[4]));
        await AssertRefusedAsync(Join(chunks[0], chunks[2], chunks[3], chunks[4]));
    }

    [Fact]
    public async Task SwappedOrRepeatedChunks_AreRefused()
    {
        var chunks = Split(ChunkedEncryptor.Encrypt(RandomNumberGenerator.GetBytes((3 * Chunk) + 10), Key, Context, Chunk));

        await AssertRefusedAsync(Join(chunks[0], chunks[2], chunks[1], chunks[3], chunks[4]));
        await AssertRefusedAsync(Join(chunks[0], chunks[1], chunks[1], chunks[2], chunks[3], chunks[4]));
        await AssertRefusedAsync(Join(chunks[0], chunks[1], chunks[2], chunks[3], chunks[4], chunks[4]));
    }

    [Fact]
    public async Task Truncated_AtAChunkBoundaryOrInsideOne_IsRefused()
    {
        var ciphertext = ChunkedEncryptor.Encrypt(RandomNumberGenerator.GetBytes((2 * Chunk) + 10), Key, Context, Chunk);
        var fullChunk = Chunk + ChunkedFormat.TagBytes;

        // Without the final chunk the data ends on a boundary: it would decrypt to two whole chunks if the end were not bound.
        await AssertRefusedAsync(ciphertext[..(ChunkedFormat.HeaderBytes + (2 * fullChunk))]);
        await AssertRefusedAsync(ciphertext[..(ChunkedFormat.HeaderBytes + fullChunk)]);
        await AssertRefusedAsync(ciphertext[..(ChunkedFormat.HeaderBytes + fullChunk + 20)]);
        await AssertRefusedAsync(ciphertext[..^1]);
        await AssertRefusedAsync(ciphertext[..ChunkedFormat.HeaderBytes]);
        await AssertRefusedAsync(ciphertext[..5]);
    }

    [Fact]
    public async Task AnotherKeyOrContext_IsRefused()
    {
        var ciphertext = ChunkedEncryptor.Encrypt("hello"u8, Key, Context, Chunk);

        await AssertRefusedAsync(ciphertext, key: RandomNumberGenerator.GetBytes(32));
        await AssertRefusedAsync(ciphertext, context: ArtifactContext.For("acme", "job_1", "out/b.bin"));
        await AssertRefusedAsync(ciphertext, context: ArtifactContext.For("acme", "job_2", "out/a.bin"));
        await AssertRefusedAsync(ciphertext, context: ArtifactContext.For("globex", "job_1", "out/a.bin"));
    }

    [Fact]
    public async Task UnknownVersionOrNotTheFormat_SaysSo()
    {
        var ciphertext = ChunkedEncryptor.Encrypt("hello"u8, Key, Context, Chunk);
        var newer = ciphertext.ToArray();
        newer[3] = 2;

        var error = await Assert.ThrowsAsync<EncryptedDataException>(() => DecryptStreamingAsync(newer, Key, Context));
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("not in Cordon's encrypted format", Assert.Throws<EncryptedDataException>(() => DecryptingStream.DecryptAll("plain text, no header"u8, Key, Context)).Message, StringComparison.Ordinal);
    }

    private static async Task AssertRefusedAsync(byte[] ciphertext, byte[]? key = null, byte[]? context = null)
    {
        Assert.Throws<EncryptedDataException>(() => DecryptingStream.DecryptAll(ciphertext, key ?? Key, context ?? Context));
        await Assert.ThrowsAsync<EncryptedDataException>(() => DecryptStreamingAsync(ciphertext, key ?? Key, context ?? Context));
    }

    private static async Task<byte[]> DecryptStreamingAsync(byte[] ciphertext, byte[] key, byte[] context)
    {
        await using var stream = await DecryptingStream.OpenAsync(new MemoryStream(ciphertext), key, context, Ct);
        using var plaintext = new MemoryStream();
        await stream.CopyToAsync(plaintext, Ct);
        return plaintext.ToArray();
    }

    /// <summary>The header, then each chunk with its tag.</summary>
    private static List<byte[]> Split(byte[] ciphertext)
    {
        var parts = new List<byte[]> { ciphertext[..ChunkedFormat.HeaderBytes] };
        for (var at = ChunkedFormat.HeaderBytes; at < ciphertext.Length; at += Chunk + ChunkedFormat.TagBytes)
        {
            parts.Add(ciphertext[at..Math.Min(ciphertext.Length, at + Chunk + ChunkedFormat.TagBytes)]);
        }

        return parts;
    }

    private static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
