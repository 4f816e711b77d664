namespace Cordon.Runner.Egress;

/// <summary>
/// A bounded read buffer over one direction of a connection, for reading HTTP/1.1 framing: request heads, chunk-size
/// lines, and exact byte counts handed on as they arrive (a body is never held whole).
/// </summary>
internal sealed class HttpStreamReader(Stream stream)
{
    private const int Capacity = 32 * 1024;
    private readonly byte[] _buffer = new byte[Capacity];
    private int _start;
    private int _end;

    /// <summary>Sends bytes on; false when they may not go (the byte budget ran out): the copy stops.</summary>
    public delegate ValueTask<bool> Send(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    public bool HasBuffered => _end > _start;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <summary>Reads up to the blank line that ends a head; the head's bytes are those before it.</summary>
    public async Task<(HeadOutcome Outcome, byte[] Head)> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var end = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf(EndOfHead);
            if (end >= 0)
            {
                var head = _buffer.AsSpan(_start, searched + end).ToArray();
                _start += searched + end + EndOfHead.Length;
                return (HeadOutcome.Complete, head);
            }

            if (_buffer.AsSpan(_start + searched, _end - _start - searched).ContainsAnyExcept(HeadBytes.Allowed))
            {
                return (HeadOutcome.Garbage, []);
            }

            searched = Math.Max(0, _end - _start - (EndOfHead.Length - 1));
            if (_end - _start >= HeadReader.MaxHeadBytes)
            {
                return (HeadOutcome.TooLarge, []);
            }

            if (!await FillAsync(cancellationToken))
            {
                return (HeadOutcome.Closed, []);
            }
        }
    }

    /// <summary>One CRLF-ended line without its CRLF; null at the end of the stream or past <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]?> ReadLineAsync(int maxBytes, CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var end = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = _buffer.AsSpan(_start, searched + end).ToArray();
                _start += searched + end + 2;
                return line;
            }

            searched = Math.Max(0, _end - _start - 1);
            if (_end - _start > maxBytes || !await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    /// <summary>Hands exactly <paramref name="count"/> bytes to <paramref name="send"/>; false when the stream or the budget ended first.</summary>
    public async Task<bool> CopyAsync(long count, Send send, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (!HasBuffered && !await FillAsync(cancellationToken))
            {
                return false;
            }

            var take = (int)Math.Min(count, _end - _start);
            if (!await send(_buffer.AsMemory(_start, take), cancellationToken))
            {
                return false;
            }

            _start += take;
            count -= take;
        }

        return true;
    }

    /// <summary>Hands everything up to the end of the stream to <paramref name="send"/>; false when the budget ended first.</summary>
    public async Task<bool> CopyToEndAsync(Send send, CancellationToken cancellationToken)
    {
        while (HasBuffered || await FillAsync(cancellationToken))
        {
            if (!await send(_buffer.AsMemory(_start, _end - _start), cancellationToken))
            {
                return false;
            }

            _start = _end;
        }

        return true;
    }

    /// <summary>Reads more behind what is buffered (moved to the front first); false at the end of the stream.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            return false;
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }
}
