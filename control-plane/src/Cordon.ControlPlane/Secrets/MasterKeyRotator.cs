using Cordon.Contracts.Secrets;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.DataProtection;

namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// <c>cordon secrets rotate-master-key</c>: a new master key, every data key of every tenant (secrets' and workspace data's) re-wrapped by it (values
/// untouched), then the old key deleted. Each row names its key and the old key is kept until no row needs it, so a
/// crash or an error part-way loses nothing; running it again finishes the same rotation.
/// </summary>
internal sealed partial class MasterKeyRotator(
    SecretStore store,
    SecretCipher cipher,
    IKeyWrapper wrapper,
    DataKeyRewrapper dataKeys,
    RequestContext context,
    IAuditSink audit,
    ILogger<MasterKeyRotator> logger)
{
    private const int BatchSize = 100;

    // One rotation at a time in this process; the key files are the process's.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<MasterKeyRotation> RotateAsync(CancellationToken cancellationToken)
    {
        if (!wrapper.Available)
        {
            throw new SecretStoreDisabledException();
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            var (oldKeyId, newKeyId) = await wrapper.BeginRotationAsync(cancellationToken);
            var failed = new HashSet<(string, string)>();
            var rewrapped = 0;
            while (true)
            {
                var batch = await store.NotWrappedByAsync(newKeyId, failed, BatchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (var row in batch)
                {
                    try
                    {
                        var wrapped = await cipher.RewrapAsync(row.TenantId, row.Name, new WrappedKey(row.KeyId, row.WrappedKey), cancellationToken);
                        if (await store.ReplaceKeyAsync(row, wrapped, cancellationToken))
                        {
                            rewrapped++;
                        }
                    }
                    catch (MasterKeyMismatchException exception)
                    {
                        LogRewrapFailed(logger, exception, row.TenantId, row.Name);
                        failed.Add((row.TenantId, row.Name));
                    }
                }
            }

            // Workspace data keys are wrapped by the same master key: they move with the secrets' keys.
            var (workspaceRewrapped, workspaceFailed) = await dataKeys.RewrapAsync(newKeyId, cancellationToken);
            rewrapped += workspaceRewrapped;
            if (failed.Count + workspaceFailed > 0)
            {
                // The old key stays: deleting it could lose what it still wraps.
                throw new MasterKeyMismatchException(
                    $"{failed.Count} secret(s) and {workspaceFailed} workspace data key(s) could not be re-wrapped (their master key is not loaded); the old key {oldKeyId} is kept and the rotation to {newKeyId} is unfinished. "
                    + "Restore the missing key file, or delete those secrets, and run the rotation again.");
            }

            if (oldKeyId != newKeyId)
            {
                await wrapper.CompleteRotationAsync(newKeyId, cancellationToken);
            }

            LogRotated(logger, oldKeyId, newKeyId, rewrapped);
            await audit.WriteAsync(new AuditEvent(AuditActions.SecretRotate, context.Tenant, context.Subject, newKeyId, "rotated", context.AuthBypassed,
                $"previousKeyId={oldKeyId} rewrapped={rewrapped}"), cancellationToken);
            return new MasterKeyRotation { KeyId = newKeyId, PreviousKeyId = oldKeyId, Rewrapped = rewrapped };
        }
        finally
        {
            Gate.Release();
        }
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Master key rotated from {OldKeyId} to {NewKeyId}; {Rewrapped} data keys re-wrapped")]
    private static partial void LogRotated(ILogger logger, string oldKeyId, string newKeyId, int rewrapped);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Error, Message = "Re-wrapping the data key of secret {Name} of tenant {Tenant} failed")]
    private static partial void LogRewrapFailed(ILogger logger, Exception exception, string tenant, string name);
}
