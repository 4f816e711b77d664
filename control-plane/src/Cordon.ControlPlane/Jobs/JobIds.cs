namespace Cordon.ControlPlane.Jobs;

/// <summary>Ids that sort by creation time (UUIDv7), so they double as the paging key.</summary>
internal static class JobIds
{
    public static string NewJobId(TimeProvider timeProvider) => "job_" + Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");

    public static string NewSessionId(TimeProvider timeProvider) => "ses_" + Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
}
