using System.Buffers;

namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// Redacts one output stream as it arrives, in UTF-8 bytes, whatever the chunking: a value split across chunks, or
/// written a byte at a time with pauses between, is found as if it came in one piece. Bytes are held back only while
/// they could still be the start of a form — the held tail is at most the longest form minus one byte (plus a
/// trailing <c>%</c> or <c>%X</c> that is not decoded yet) — and everything before it is emitted at once, so output
/// that holds no secret is not delayed beyond the bytes that look like the beginning of one, and comes out
/// byte-identical. Two views of the stream are matched at once: the bytes as they are (raw, hex, base64 forms) and
/// their percent-decoding (the raw value URL-encoded any way). A match's bytes are replaced by its secret's marker;
/// overlapping matches become one marker. <see cref="Complete"/> at the end of the stream emits the rest, and
/// also redacts a trailing piece of at least <see cref="MinTrailingPart"/> bytes that begins a form (the stream
/// was cut in the middle of a value). Not thread-safe: one per stream.
/// </summary>
internal sealed class StreamingRedactor
{
    public const int MinTrailingPart = 8;

    private readonly SecretRedactor _redactor;
    private readonly PatternAutomaton _directForms;
    private readonly PatternAutomaton _decodedForms;
    private readonly List<(long Start, long End, int Owner)> _pending = [];

    // The original offset of each of the last decoded bytes, enough to map the longest decoded match back.
    private readonly long[] _origins;
    private byte[] _held = new byte[256];
    private int _heldLength;
    private long _heldStart;
    private long _position;
    private long _skipUntil;
    private int _direct;
    private int _decoded;
    private long _decodedCount;
    private int _escape;
    private long _escapeStart;
    private byte _escapeDigit;
    private bool _completed;

    public StreamingRedactor(SecretRedactor redactor)
    {
        _redactor = redactor;
        _directForms = redactor.Direct;
        _decodedForms = redactor.Decoded;
        _origins = new long[_decodedForms.MaxLength + 1];
    }

    /// <summary>How many matches were redacted so far.</summary>
    public long Redactions { get; private set; }

    /// <summary>Bytes received and not emitted yet.</summary>
    public int HeldBytes => _heldLength;

    /// <summary>Takes the next bytes of the stream and writes to <paramref name="output"/> what can no longer change.</summary>
    public void Write(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_redactor.IsEmpty)
        {
            output.Write(data);
            return;
        }

        if (_heldLength + data.Length > _held.Length)
        {
            Array.Resize(ref _held, Math.Max(_held.Length * 2, _heldLength + data.Length));
        }

        data.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += data.Length;
        foreach (var b in data)
        {
            _direct = _directForms.Step(_direct, b);
            if (_directForms.MatchLength(_direct) is var length and > 0)
            {
                Add(_position + 1 - length, _position + 1, _directForms.MatchOwner(_direct));
            }

            Decode(b, _position);
            _position++;
        }

        Emit(Settled(), output);
    }

    /// <summary>The stream has ended: writes everything still held, redacted.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_redactor.IsEmpty)
        {
            return;
        }

        // A '%' or '%X' at the very end is literal text.
        if (_escape >= 1)
        {
            Push((byte)'%', _escapeStart, _escapeStart + 1);
        }

        if (_escape == 2)
        {
            Push(_escapeDigit, _escapeStart + 1, _escapeStart + 2);
        }

        _escape = 0;
        if (_directForms.Depth(_direct) is var direct and >= MinTrailingPart)
        {
            Add(_position - direct, _position, _directForms.PrefixOwner(_direct));
        }

        if (_decodedForms.Depth(_decoded) is var decoded and >= MinTrailingPart)
        {
            Add(Origin(decoded), _position, _decodedForms.PrefixOwner(_decoded));
        }

        Emit(_position, output);
    }

    /// <summary>The percent-decoding view: <c>%XX</c> (either case) is one byte, <c>+</c> a space, the rest itself.</summary>
    private void Decode(byte b, long position)
    {
        switch (_escape)
        {
            case 1 when IsHex(b):
                _escapeDigit = b;
                _escape = 2;
                return;
            case 1:
                _escape = 0;
                Push((byte)'%', _escapeStart, _escapeStart + 1);
                Decode(b, position);
                return;
            case 2 when IsHex(b):
                _escape = 0;
                Push((byte)((HexValue(_escapeDigit) << 4) | HexValue(b)), _escapeStart, position + 1);
                return;
            case 2:
                _escape = 0;
                Push((byte)'%', _escapeStart, _escapeStart + 1);
                Push(_escapeDigit, _escapeStart + 1, _escapeStart + 2);
                Decode(b, position);
                return;
            default:
                if (b == '%')
                {
                    _escape = 1;
                    _escapeStart = position;
                    return;
                }

                Push(b == '+' ? (byte)' ' : b, position, position + 1);
                return;
        }
    }

    /// <summary>One decoded byte, which came from the original bytes [<paramref name="start"/>, <paramref name="end"/>).</summary>
    private void Push(byte b, long start, long end)
    {
        _origins[_decodedCount % _origins.Length] = start;
        _decodedCount++;
        _decoded = _decodedForms.Step(_decoded, b);
        if (_decodedForms.MatchLength(_decoded) is var length and > 0)
        {
            Add(Origin(length), end, _decodedForms.MatchOwner(_decoded));
        }
    }

    /// <summary>The original offset of the decoded byte <paramref name="back"/> places before the end.</summary>
    private long Origin(int back) => _origins[(_decodedCount - back) % _origins.Length];

    /// <summary>
    /// Where the bytes that can no longer change end: every match still to come starts at or after the start of the
    /// longest tail that begins a form, in either view, or at an escape not decoded yet.
    /// </summary>
    private long Settled()
    {
        var settled = _position - _directForms.Depth(_direct);
        if (_decodedForms.Depth(_decoded) is var decoded and > 0)
        {
            settled = Math.Min(settled, Origin(decoded));
        }

        if (_escape != 0)
        {
            settled = Math.Min(settled, _escapeStart);
        }

        return settled;
    }

    private void Add(long start, long end, int owner)
    {
        Redactions++;
        if (start < _skipUntil)
        {
            // Overlaps a match whose marker is already out: its bytes are dropped as well.
            _skipUntil = Math.Max(_skipUntil, end);
            return;
        }

        var at = _pending.FindIndex(p => p.Start > start);
        _pending.Insert(at < 0 ? _pending.Count : at, (start, end, owner));
    }

    /// <summary>Writes the held bytes before <paramref name="until"/>, each match as its marker, and drops them.</summary>
    private void Emit(long until, IBufferWriter<byte> output)
    {
        var cursor = _heldStart;
        while (cursor < until)
        {
            if (cursor < _skipUntil)
            {
                Absorb();
                cursor = Math.Min(until, _skipUntil);
                continue;
            }

            if (_pending.Count > 0 && _pending[0].Start < until)
            {
                var (start, end, owner) = _pending[0];
                _pending.RemoveAt(0);
                output.Write(_held.AsSpan((int)(cursor - _heldStart), (int)(start - cursor)));
                output.Write(_redactor.Markers[owner]);
                _skipUntil = end;
                cursor = start;
                continue;
            }

            output.Write(_held.AsSpan((int)(cursor - _heldStart), (int)(until - cursor)));
            cursor = until;
        }

        var dropped = (int)(until - _heldStart);
        if (dropped > 0)
        {
            _held.AsSpan(dropped, _heldLength - dropped).CopyTo(_held);
            _heldLength -= dropped;
            _heldStart = until;
        }
    }

    /// <summary>Pending matches that begin inside the dropped run extend it.</summary>
    private void Absorb()
    {
        while (_pending.Count > 0 && _pending[0].Start < _skipUntil)
        {
            _skipUntil = Math.Max(_skipUntil, _pending[0].End);
            _pending.RemoveAt(0);
        }
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
