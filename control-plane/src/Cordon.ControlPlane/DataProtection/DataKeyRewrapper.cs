using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// The workspace half of a master-key rotation (<see cref="MasterKeyRotator"/>): every data key not wrapped by the
/// new master key — plain ones from before a master key was configured included — wrapped by it, the data untouched.
/// A row changed meanwhile (shredded, say) is left alone; a row that does not unwrap is counted as failed, so the
/// rotation keeps the old key.
/// </summary>
internal sealed partial class DataKeyRewrapper(CordonDbContext db, DataKeyCipher cipher, ILogger<DataKeyRewrapper> logger)
{
    private const int BatchSize = 100;

    public async Task<(int Rewrapped, int Failed)> RewrapAsync(string newKeyId, CancellationToken cancellationToken)
    {
        var failed = new HashSet<(string, string)>();
        var rewrapped = 0;
        while (true)
        {
            var batch = (await db.DataKeys.IgnoreQueryFilters().AsNoTracking()
                    .Where(k => k.KeyId != newKeyId)
                    .OrderBy(k => k.TenantId).ThenBy(k => k.OwnerId)
                    .Take(BatchSize + failed.Count)
                    .ToListAsync(cancellationToken))
                .Where(k => !failed.Contains((k.TenantId, k.OwnerId)))
                .Take(BatchSize)
                .ToList();
            if (batch.Count == 0)
            {
                return (rewrapped, failed.Count);
            }

            foreach (var row in batch)
            {
                try
                {
                    var wrapped = await cipher.RewrapAsync(row.TenantId, row.OwnerId, new WrappedKey(row.KeyId, row.WrappedKey), cancellationToken);
                    rewrapped += await db.DataKeys.IgnoreQueryFilters()
                        .Where(k => k.TenantId == row.TenantId && k.OwnerId == row.OwnerId && k.KeyId == row.KeyId && k.WrappedKey == row.WrappedKey)
                        .ExecuteUpdateAsync(set => set.SetProperty(k => k.KeyId, wrapped.KeyId).SetProperty(k => k.WrappedKey, wrapped.Bytes), cancellationToken);
                }
                catch (MasterKeyMismatchException exception)
                {
                    LogRewrapFailed(logger, exception, row.TenantId, row.OwnerId);
                    failed.Add((row.TenantId, row.OwnerId));
                }
            }
        }
    }

    [LoggerMessage(EventId = 1951, Level = LogLevel.Error, Message = "Re-wrapping the data key of {OwnerId} of tenant {Tenant} failed")]
    private static partial void LogRewrapFailed(ILogger logger, Exception exception, string tenant, string ownerId);
}
