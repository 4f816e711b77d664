using System.Buffers;
using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Secrets.Redaction;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Turns the runner's output chunks into stored output events — the one stored copy of the job's stdout and stderr —
/// decoding UTF-8 across chunk boundaries (invalid bytes become U+FFFD). Keeps at most <c>maxBytes</c> per stream as
/// a second guard. Chunks are coalesced before they are stored — consecutive chunks of one stream, until
/// <see cref="CoalesceChars"/> or <see cref="CoalesceDelay"/> after the first — so a program writing one byte per
/// <c>write()</c> makes a few rows, not one per byte, while a quiet program's last line is still seen at once.
/// Nothing else is kept: memory holds the pending text only (below <see cref="CoalesceChars"/> plus one chunk),
/// reported to <see cref="OutputBuffers"/>. Each stream's bytes pass a <see cref="StreamingRedactor"/> before they are
/// decoded, so the one stored copy — what the live event stream, a replay, the result and MCP all read — never holds an
/// injected value; the redactor holds back only a tail that could still begin one (a timer flush leaves it held).
/// </summary>
internal sealed class OutputCollector(JobStore store, string jobId, long maxBytes, OutputBuffers buffers, TimeProvider timeProvider, SecretRedactor redactor)
{
    public const int CoalesceChars = 64 * 1024;
    public static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(50);

    private readonly Stream _stdout = new(JobEventTypes.Stdout, maxBytes, redactor.CreateStream());
    private readonly Stream _stderr = new(JobEventTypes.Stderr, maxBytes, redactor.CreateStream());

    // One writer at a time on the store: the chunk reader and the coalescing timer.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringBuilder _pending = new();
    private string? _pendingKind;
    private CancellationTokenSource? _timer;

    /// <summary>Characters received and not stored yet.</summary>
    public int PendingChars => _pending.Length;

    public bool StdoutCut => _stdout.Cut;

    public bool StderrCut => _stderr.Cut;

    public async ValueTask OnChunkAsync(OutputChunk chunk, CancellationToken cancellationToken)
    {
        var stream = chunk.Stream == OutputStream.Stderr ? _stderr : _stdout;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await AddAsync(stream.Kind, stream.Decode(chunk.Data.Span, flush: false), cancellationToken);
            if (_pending.Length > 0 && _timer is null)
            {
                var timer = new CancellationTokenSource();
                _timer = timer;
                _ = WriteLaterAsync(timer.Token);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores everything still pending; call once the runner's stream has ended.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await AddAsync(_stdout.Kind, _stdout.Decode([], flush: true), cancellationToken);
            await AddAsync(_stderr.Kind, _stderr.Decode([], flush: true), cancellationToken);
            await WritePendingAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task AddAsync(string kind, string text, CancellationToken cancellationToken)
    {
        if (text.Length == 0)
        {
            return;
        }

        // The other stream's pending text goes first: events keep the order the program wrote in.
        if (_pendingKind is not null && _pendingKind != kind)
        {
            await WritePendingAsync(cancellationToken);
        }

        _pendingKind = kind;
        _pending.Append(text);
        buffers.Add(text.Length);
        if (_pending.Length >= CoalesceChars)
        {
            await WritePendingAsync(cancellationToken);
        }
    }

    private async Task WriteLaterAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(CoalesceDelay, timeProvider, token);
            await _gate.WaitAsync(token);
        }
        catch (OperationCanceledException)
        {
            return; // written meanwhile
        }

        try
        {
            if (!token.IsCancellationRequested)
            {
                await WritePendingAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The text stays pending: the next chunk or the final flush writes it (and reports a lasting failure).
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WritePendingAsync(CancellationToken cancellationToken)
    {
        if (_timer is { } timer)
        {
            _timer = null;
            await timer.CancelAsync();
            timer.Dispose();
        }

        if (_pending.Length == 0)
        {
            return;
        }

        await store.AppendOutputAsync(jobId, _pendingKind!, _pending.ToString(), cancellationToken);
        buffers.Add(-_pending.Length);
        _pending.Clear();
        _pendingKind = null;
    }

    /// <summary>Once the job has ended: gives up what could not be stored (the store failed), so it is not counted.</summary>
    public async ValueTask AbandonAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_timer is { } timer)
            {
                _timer = null;
                await timer.CancelAsync();
                timer.Dispose();
            }

            buffers.Add(-_pending.Length);
            _pending.Clear();
            _pendingKind = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Stream(string kind, long maxBytes, StreamingRedactor redactor)
    {
        private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
        private readonly ArrayBufferWriter<byte> _redacted = new();
        private long _bytes;

        public string Kind { get; } = kind;

        public bool Cut { get; private set; }

        public string Decode(ReadOnlySpan<byte> data, bool flush)
        {
            if (_bytes + data.Length > maxBytes)
            {
                Cut = true;
                data = data[..(int)Math.Max(0, maxBytes - _bytes)];
            }

            _bytes += data.Length;
            _redacted.ResetWrittenCount();
            if (!data.IsEmpty)
            {
                redactor.Write(data, _redacted);
            }

            if (flush)
            {
                redactor.Complete(_redacted);
            }

            var released = _redacted.WrittenSpan;
            var chars = new char[_decoder.GetCharCount(released, flush)];
            var count = _decoder.GetChars(released, chars, flush);
            return new string(chars, 0, count);
        }
    }
}
