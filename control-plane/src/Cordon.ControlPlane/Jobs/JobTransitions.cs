using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Jobs;

/// <summary>The one rule for job status changes: queued → running → a final status, never back, never twice final.</summary>
internal static class JobTransitions
{
    public static bool CanMove(JobStatus from, JobStatus to) => Rank(to) > Rank(from);

    private static int Rank(JobStatus status) => status switch
    {
        JobStatus.Queued => 0,
        JobStatus.Running => 1,
        _ => 2,
    };
}
