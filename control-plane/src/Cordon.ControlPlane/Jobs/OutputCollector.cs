using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Turns the runner's output chunks into stored events and the job's final stdout/stderr, decoding UTF-8 across
/// chunk boundaries (invalid bytes become U+FFFD). Keeps at most <c>maxBytes</c> per stream as a second guard.
/// </summary>
internal sealed class OutputCollector(JobStore store, string jobId, long maxBytes)
{
    private readonly Stream _stdout = new(JobEventTypes.Stdout, maxBytes);
    private readonly Stream _stderr = new(JobEventTypes.Stderr, maxBytes);

    public string Stdout => _stdout.Text.ToString();

    public string Stderr => _stderr.Text.ToString();

    public bool StdoutCut => _stdout.Cut;

    public bool StderrCut => _stderr.Cut;

    public async ValueTask OnChunkAsync(OutputChunk chunk, CancellationToken cancellationToken)
    {
        var stream = chunk.Stream == OutputStream.Stderr ? _stderr : _stdout;
        var text = stream.Decode(chunk.Data.Span, flush: false);
        if (text.Length > 0)
        {
            await store.AppendOutputAsync(jobId, stream.Kind, text, cancellationToken);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var stream in new[] { _stdout, _stderr })
        {
            var text = stream.Decode([], flush: true);
            if (text.Length > 0)
            {
                await store.AppendOutputAsync(jobId, stream.Kind, text, cancellationToken);
            }
        }
    }

    private sealed class Stream(string kind, long maxBytes)
    {
        private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
        private long _bytes;

        public string Kind { get; } = kind;

        public StringBuilder Text { get; } = new();

        public bool Cut { get; private set; }

        public string Decode(ReadOnlySpan<byte> data, bool flush)
        {
            if (_bytes + data.Length > maxBytes)
            {
                Cut = true;
                data = data[..(int)Math.Max(0, maxBytes - _bytes)];
            }

            _bytes += data.Length;
            var chars = new char[_decoder.GetCharCount(data, flush)];
            var count = _decoder.GetChars(data, chars, flush);
            var text = new string(chars, 0, count);
            Text.Append(text);
            return text;
        }
    }
}
