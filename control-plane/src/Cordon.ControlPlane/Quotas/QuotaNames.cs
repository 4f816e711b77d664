namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The quotas by the names the policy document's <c>quotas</c> object, the problem's <c>quota</c> member and the
/// counters' keys use.
/// </summary>
internal static class QuotaNames
{
    public const string ConcurrentJobs = "concurrentJobs";

    public const string QueuedJobs = "queuedJobs";

    public const string ConcurrentSessions = "concurrentSessions";

    public const string RequestsPerSecond = "requestsPerSecond";
}
