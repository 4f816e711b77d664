using System.Threading.Channels;
using Cordon.Audit;
using Cordon.Contracts.Audit;
using Cordon.ControlPlane.Storage;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Audit;

/// <summary>
/// The hash-chained audit log, group-committed: writers queue drafts, one loop takes whatever is queued (up to
/// <see cref="AuditOptions.MaxBatch"/>), chains it after the head, appends it with one write and one fsync, indexes
/// it, and only then completes each writer's task. A request thus waits for at most the batch in flight and its own.
/// </summary>
internal sealed partial class AuditLog(
    DataDirectory dataDirectory,
    IOptions<AuditOptions> options,
    AuditIndex index,
    TimeProvider timeProvider,
    ILogger<AuditLog> logger) : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private AuditSegmentWriter? _writer;
    private AuditHead _head = AuditHead.Empty;

    public string Directory => options.Value.Directory is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : dataDirectory.Combine("audit");

    /// <summary>The last durable record (what a verification must reach).</summary>
    public AuditHead Head => Volatile.Read(ref _head);

    /// <summary>Completes once the record is in an fsynced segment.</summary>
    public Task WriteAsync(AuditRecord draft, CancellationToken cancellationToken)
    {
        var pending = new Pending(draft, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The audit log is closed: the control plane is stopping.");
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _writer = AuditSegmentWriter.Open(Directory, options.Value.SegmentMaxBytes, logger);
        Volatile.Write(ref _head, _writer.Head);
        await index.CatchUpAsync(Directory, _writer.Head.Seq, cancellationToken);
        LogOpened(logger, Directory, _writer.Head.Seq);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // What is queued is still written: the loop ends once the queue is drained.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _writer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < options.Value.MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        var writer = _writer!;
        var records = new List<AuditRecord>(batch.Count);
        var now = timeProvider.GetUtcNow();
        var (seq, prevHash) = (writer.Head.Seq, writer.Head.Hash);
        foreach (var pending in batch)
        {
            var record = AuditChain.Seal(pending.Draft with { Time = now }, ++seq, prevHash);
            prevHash = record.Hash;
            records.Add(record);
        }

        try
        {
            writer.Append(records);
        }
        catch (IOException exception)
        {
            LogAppendFailed(logger, records.Count, exception);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(exception);
            }

            return;
        }

        Volatile.Write(ref _head, writer.Head);
        await index.AddAsync(Directory, records);
        foreach (var pending in batch)
        {
            pending.Done.TrySetResult();
        }
    }

    private sealed record Pending(AuditRecord Draft, TaskCompletionSource Done);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Information, Message = "Audit log {Directory} open at record {Head}")]
    private static partial void LogOpened(ILogger logger, string directory, long head);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Error, Message = "Could not append {Count} audit record(s); their requests fail")]
    private static partial void LogAppendFailed(ILogger logger, int count, Exception exception);
}
