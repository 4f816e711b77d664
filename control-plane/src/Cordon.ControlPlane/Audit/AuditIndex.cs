using System.Text.Json;
using Cordon.Audit;
using Cordon.Contracts.Audit;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Audit;

/// <summary>
/// Keeps <c>audit_events</c> in step with the segment files. A batch the database refused is not lost: the next
/// batch (or the next start) reads what is missing back from the segments.
/// </summary>
internal sealed partial class AuditIndex(IServiceScopeFactory scopeFactory, ILogger<AuditIndex> logger)
{
    private const int CatchUpBatch = 500;

    private long _indexedThrough = -1;

    /// <summary>Indexes every record of the segments after the highest one the database has, up to <paramref name="headSeq"/>.</summary>
    public async Task CatchUpAsync(string directory, long headSeq, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        var indexed = await db.AuditEvents.IgnoreQueryFilters().MaxAsync(e => (long?)e.Seq, cancellationToken) ?? 0;
        if (indexed < headSeq)
        {
            var added = 0L;
            foreach (var segment in AuditSegmentFiles.List(directory))
            {
                var content = await AuditSegmentLines.ReadAsync(segment, cancellationToken);
                foreach (var line in content.Lines)
                {
                    if (AuditRecordParser.TryParse(line, out var record, out _) && record!.Seq > indexed && record.Seq <= headSeq)
                    {
                        db.AuditEvents.Add(ToEntity(record));
                        if (++added % CatchUpBatch == 0)
                        {
                            await db.SaveChangesAsync(cancellationToken);
                            db.ChangeTracker.Clear();
                        }
                    }
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            LogCaughtUp(logger, added, headSeq);
        }

        _indexedThrough = Math.Max(indexed, headSeq);
    }

    /// <summary>Indexes a batch just made durable; a failure is logged and repaired later from the segments.</summary>
    public async Task AddAsync(string directory, IReadOnlyList<AuditRecord> records)
    {
        try
        {
            if (_indexedThrough != records[0].Seq - 1)
            {
                await CatchUpAsync(directory, records[^1].Seq, CancellationToken.None);
                return;
            }

            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
            db.AuditEvents.AddRange(records.Select(ToEntity));
            await db.SaveChangesAsync(CancellationToken.None);
            _indexedThrough = records[^1].Seq;
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or IOException
            or System.Data.Common.DbException)
        {
            _indexedThrough = -1;
            LogIndexFailed(logger, records[0].Seq, records[^1].Seq, exception);
        }
    }

    public static AuditEventEntity ToEntity(AuditRecord record) => new()
    {
        Seq = record.Seq,
        Time = record.Time,
        TenantId = record.Tenant,
        Actor = record.Actor,
        Action = record.Action,
        Target = record.Target,
        Outcome = record.Outcome,
        DetailsJson = JsonSerializer.Serialize(
            record.Details as Dictionary<string, string> ?? new Dictionary<string, string>(record.Details, StringComparer.Ordinal),
            ControlPlaneJsonContext.Default.DictionaryStringString),
        PrevHash = record.PrevHash,
        Hash = record.Hash,
    };

    public static AuditRecord ToRecord(AuditEventEntity entity) => new()
    {
        Seq = entity.Seq,
        Time = entity.Time,
        Tenant = entity.TenantId,
        Actor = entity.Actor,
        Action = entity.Action,
        Target = entity.Target,
        Outcome = entity.Outcome,
        Details = JsonSerializer.Deserialize(entity.DetailsJson, ControlPlaneJsonContext.Default.DictionaryStringString) ?? [],
        PrevHash = entity.PrevHash,
        Hash = entity.Hash,
    };

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "Audit index caught up from the segments: {Added} record(s), through record {Head}")]
    private static partial void LogCaughtUp(ILogger logger, long added, long head);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Error,
        Message = "Audit records {First}..{Last} are durable in the segments but could not be indexed in the database; the next batch retries")]
    private static partial void LogIndexFailed(ILogger logger, long first, long last, Exception exception);
}
