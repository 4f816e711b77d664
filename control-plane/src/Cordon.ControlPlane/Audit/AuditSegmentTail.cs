using Cordon.Audit;
using Cordon.Contracts.Audit;

namespace Cordon.ControlPlane.Audit;

/// <summary>The end of a segment at start-up: the torn last line cut off, the last complete record read.</summary>
internal static class AuditSegmentTail
{
    // Records are capped (ids 256 chars, detail 1 KiB), so a line is a few KiB at most.
    private const int MaxLineBytes = 1024 * 1024;

    /// <summary>The segment's last record (null when it has none), after truncating bytes past its last newline.</summary>
    public static AuditRecord? Recover(FileStream stream, out long tornBytes)
    {
        var length = stream.Length;
        var window = (int)Math.Min(length, MaxLineBytes + 1);
        var buffer = new byte[window];
        stream.Seek(length - window, SeekOrigin.Begin);
        stream.ReadExactly(buffer);
        var lastNewline = Array.LastIndexOf(buffer, (byte)'\n');
        var keep = lastNewline < 0 ? length - window : length - window + lastNewline + 1;
        var previousNewline = lastNewline > 0 ? Array.LastIndexOf(buffer, (byte)'\n', lastNewline - 1) : -1;
        if (window < length && previousNewline < 0)
        {
            throw new InvalidOperationException($"The audit segment {stream.Name} ends in a line longer than {MaxLineBytes} bytes; run `cordon audit verify --data-dir` on it.");
        }

        tornBytes = length - keep;
        if (tornBytes > 0)
        {
            stream.SetLength(keep);
            stream.Flush(flushToDisk: true);
        }

        if (lastNewline < 0)
        {
            return null;
        }

        var start = previousNewline + 1;
        return AuditRecordParser.TryParse(buffer.AsMemory(start, lastNewline - start), out var record, out var error)
            ? record
            : throw new InvalidOperationException(
                $"The last record of the audit segment {stream.Name} cannot be read ({error}), so the chain cannot be continued; run `cordon audit verify --data-dir` to see what changed.");
    }
}
