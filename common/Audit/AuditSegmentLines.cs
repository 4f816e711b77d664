namespace Cordon.Audit;

/// <summary>
/// The complete lines of one segment file (each without its newline) and the bytes after the last newline, if any:
/// a line the writer was appending when the process died, never acknowledged to anyone.
/// </summary>
internal sealed record AuditSegmentLines(IReadOnlyList<ReadOnlyMemory<byte>> Lines, int TornBytes)
{
    public static async Task<AuditSegmentLines> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var lines = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add(bytes.AsMemory(start, i - start));
                start = i + 1;
            }
        }

        return new AuditSegmentLines(lines, bytes.Length - start);
    }
}
