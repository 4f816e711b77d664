using System.Security.Cryptography;

namespace Cordon.Encryption;

/// <summary>
/// Reads <see cref="ChunkedFormat"/> data as plaintext, one chunk in memory at a time (a download of any size costs
/// one chunk of memory). A chunk is handed out only after its tag checked; a stream that ends before its final chunk,
/// or holds a chunk that does not open, throws <see cref="EncryptedDataException"/> instead of returning less.
/// <see cref="OpenAsync"/> reads the header and the first chunk at once, so a wrong key or a damaged object is
/// known before a single byte is served.
/// </summary>
internal sealed class DecryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _header;
    private readonly byte[] _associatedData;
    private readonly byte[] _ciphertext;
    private readonly byte[] _plaintext;
    private readonly int _chunkBytes;
    private long _index;
    private int _at;
    private int _length;
    private bool _done;
    private long _position;

    private DecryptingStream(Stream inner, ReadOnlySpan<byte> key, byte[] header, ReadOnlySpan<byte> context)
    {
        _inner = inner;
        _chunkBytes = ChunkedFormat.ReadHeader(header);
        _header = header;
        _associatedData = ChunkedFormat.AssociatedData(header, context);
        _ciphertext = new byte[_chunkBytes + ChunkedFormat.TagBytes];
        _plaintext = new byte[_chunkBytes];
        _aes = new AesGcm(key, ChunkedFormat.TagBytes);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Takes ownership of <paramref name="ciphertext"/> (disposed with this stream, also when opening fails).</summary>
    public static async Task<DecryptingStream> OpenAsync(Stream ciphertext, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> context, CancellationToken cancellationToken)
    {
        try
        {
            var header = new byte[ChunkedFormat.HeaderBytes];
            if (await ciphertext.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken) < header.Length)
            {
                throw new EncryptedDataException("the data is shorter than the format's header");
            }

            var stream = new DecryptingStream(ciphertext, key.Span, header, context.Span);
            var read = await ciphertext.ReadAtLeastAsync(stream._ciphertext, stream._ciphertext.Length, throwOnEndOfStream: false, cancellationToken);
            stream.OpenChunk(read);
            return stream;
        }
        catch
        {
            await ciphertext.DisposeAsync();
            throw;
        }
    }

    /// <summary>All of <paramref name="ciphertext"/> decrypted in memory (small objects only: the control plane's redaction pass).</summary>
    public static byte[] DecryptAll(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> key, ReadOnlySpan<byte> context)
    {
        if (ciphertext.Length < ChunkedFormat.HeaderBytes)
        {
            throw new EncryptedDataException("the data is shorter than the format's header");
        }

        using var stream = new DecryptingStream(new MemoryStream(ciphertext[ChunkedFormat.HeaderBytes..].ToArray()), key, ciphertext[..ChunkedFormat.HeaderBytes].ToArray(), context);
        using var plaintext = new MemoryStream();
        stream.CopyTo(plaintext);
        return plaintext.ToArray();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_at == _length && !_done)
        {
            OpenChunk(_inner.ReadAtLeast(_ciphertext, _ciphertext.Length, throwOnEndOfStream: false));
        }

        return Take(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_at == _length && !_done)
        {
            OpenChunk(await _inner.ReadAtLeastAsync(_ciphertext, _ciphertext.Length, throwOnEndOfStream: false, cancellationToken));
        }

        return Take(buffer.Span);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_plaintext);
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Take(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _length - _at);
        _plaintext.AsSpan(_at, count).CopyTo(buffer);
        _at += count;
        _position += count;
        return count;
    }

    /// <summary>Opens the chunk whose <paramref name="read"/> bytes are in the buffer: a full buffer is a middle chunk, less is the last.</summary>
    private void OpenChunk(int read)
    {
        if (read < ChunkedFormat.TagBytes)
        {
            throw new EncryptedDataException($"the data ends before its final chunk (chunk {_index} is missing or cut)");
        }

        var final = read < _ciphertext.Length;
        var length = read - ChunkedFormat.TagBytes;
        Span<byte> nonce = stackalloc byte[ChunkedFormat.NonceBytes];
        ChunkedFormat.Nonce(_header, _index, nonce);
        ChunkedFormat.SetChunk(_associatedData, _index, final);
        try
        {
            _aes.Decrypt(nonce, _ciphertext.AsSpan(0, length), _ciphertext.AsSpan(length, ChunkedFormat.TagBytes), _plaintext.AsSpan(0, length), _associatedData);
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new EncryptedDataException($"chunk {_index} fails its integrity check (tampered, moved, cut, or another key)", exception);
        }

        _index++;
        _at = 0;
        _length = length;
        _done = final;
    }
}
