namespace Cordon.ControlPlane.Jobs;

internal static partial class JobsLog
{
    // Debug: one line per job is the audit log's (job.start, job.end); the console by default shows lifecycle only.
    [LoggerMessage(EventId = 1401, Level = LogLevel.Debug, Message = "Job {JobId} of tenant {Tenant} runs on runner {RunnerId}")]
    public static partial void JobStarted(ILogger logger, string jobId, string tenant, string runnerId);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Debug, Message = "Job {JobId} ended {Status} in {DurationMs} ms")]
    public static partial void JobFinished(ILogger logger, string jobId, string status, long durationMs);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Job {JobId} ended error: {Reason}")]
    public static partial void JobFailed(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "Job {JobId} failed unexpectedly")]
    public static partial void JobCrashed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Error, Message = "The job worker loop failed")]
    public static partial void WorkerCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "Job {JobId} stays queued: its quota could not be checked ({Reason})")]
    public static partial void DispatchDeferred(ILogger logger, string jobId, string reason);
}
