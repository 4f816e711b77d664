namespace Cordon.Runner.Sandboxes;

internal static partial class SandboxLog
{
    [LoggerMessage(1001, LogLevel.Information, "Runner ready: {OciRuntime}, {Runtimes} runtimes, capacity {Capacity}, data {DataDir}")]
    public static partial void Ready(ILogger logger, string ociRuntime, int runtimes, int capacity, string dataDir);

    [LoggerMessage(1002, LogLevel.Warning, "OCI runtime gap: {Gap}")]
    public static partial void KnownGap(ILogger logger, string gap);

    [LoggerMessage(1003, LogLevel.Information, "Sandbox {SandboxId} created ({Language}, slot {Slot}) in {ElapsedMs} ms")]
    public static partial void Created(ILogger logger, string sandboxId, string language, int slot, long elapsedMs);

    [LoggerMessage(1004, LogLevel.Information, "Sandbox {SandboxId} destroyed in {ElapsedMs} ms")]
    public static partial void Destroyed(ILogger logger, string sandboxId, long elapsedMs);

    [LoggerMessage(1005, LogLevel.Error, "Destroying sandbox {SandboxId} failed")]
    public static partial void DestroyFailed(ILogger logger, Exception exception, string sandboxId);

    [LoggerMessage(1006, LogLevel.Warning, "Reaped sandbox {SandboxId} left by an earlier runner")]
    public static partial void Reaped(ILogger logger, string sandboxId);

    [LoggerMessage(1007, LogLevel.Error, "Creating a sandbox failed")]
    public static partial void CreateFailed(ILogger logger, Exception exception);
}
