using Cordon.Audit;
using Cordon.Contracts.Audit;
using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Audit;

/// <summary>
/// Appends chained records to the segment files, one write and one fsync per batch. Opening takes the directory's
/// lock (one writer per chain), truncates a torn last line left by a crash (it was never acknowledged) and reads
/// the head — the last record's sequence number and hash — the next batch continues from.
/// </summary>
internal sealed partial class AuditSegmentWriter : IDisposable
{
    private const string LockFileName = ".lock";

    private readonly string _directory;
    private readonly long _segmentMaxBytes;
    private readonly FileStream _lock;
    private FileStream? _current;

    private AuditSegmentWriter(string directory, long segmentMaxBytes, FileStream lockFile, AuditHead head, FileStream? current)
    {
        _directory = directory;
        _segmentMaxBytes = segmentMaxBytes;
        _lock = lockFile;
        Head = head;
        _current = current;
    }

    public AuditHead Head { get; private set; }

    public static AuditSegmentWriter Open(string directory, long segmentMaxBytes, ILogger logger)
    {
        PrivateFiles.CreateDirectory(directory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException(
                $"The audit log at {directory} is held by another process: each control plane needs an audit directory of its own (Cordon:Audit:Directory).", exception);
        }

        try
        {
            var segments = AuditSegmentFiles.List(directory);
            FileStream? current = null;
            var head = AuditHead.Empty;
            for (var i = segments.Count - 1; i >= 0; i--)
            {
                var stream = new FileStream(segments[i], FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
                var last = AuditSegmentTail.Recover(stream, out var tornBytes);
                if (tornBytes > 0)
                {
                    LogTornTail(logger, Path.GetFileName(segments[i]), tornBytes);
                }

                if (i == segments.Count - 1)
                {
                    current = stream;
                    current.Seek(0, SeekOrigin.End);
                }
                else
                {
                    stream.Dispose();
                }

                if (last is not null)
                {
                    head = new AuditHead(last.Seq, last.Hash);
                    break;
                }
            }

            return new AuditSegmentWriter(directory, segmentMaxBytes, lockFile, head, current);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Writes the batch (already chained after <see cref="Head"/>) and fsyncs it; on failure nothing of it stays.</summary>
    public void Append(IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        var lines = records.Select(AuditChain.Line).ToList();
        var bytes = new byte[lines.Sum(l => l.Length)];
        var offset = 0;
        foreach (var line in lines)
        {
            line.CopyTo(bytes, offset);
            offset += line.Length;
        }

        if (_current is null || (_current.Length > 0 && _current.Length + bytes.Length > _segmentMaxBytes))
        {
            StartSegment(records[0].Seq);
        }

        var before = _current!.Length;
        try
        {
            _current.Write(bytes);
            _current.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // A half-written batch would leave a record no one was told about in the middle of the chain.
            _current.SetLength(before);
            throw;
        }

        Head = new AuditHead(records[^1].Seq, records[^1].Hash);
    }

    public void Dispose()
    {
        _current?.Dispose();
        _lock.Dispose();
    }

    private void StartSegment(long firstSeq)
    {
        _current?.Dispose();
        _current = null;
        var path = Path.Combine(_directory, AuditSegmentFiles.NameFor(firstSeq));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFiles.FileMode;
        }

        _current = new FileStream(path, options);
        // The new file's name must be as durable as the records it will hold.
        DirectorySync.Fsync(_directory);
    }

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning,
        Message = "Audit segment {Segment} ended in a torn line ({Bytes} bytes, never acknowledged: the process stopped mid-append); truncated, the chain continues")]
    private static partial void LogTornTail(ILogger logger, string segment, long bytes);
}
