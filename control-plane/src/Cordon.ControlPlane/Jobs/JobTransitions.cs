using System.Linq.Expressions;
using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Jobs;

/// <summary>The one rule for job status changes: queued → running → a final status, never back, never twice final.</summary>
internal static class JobTransitions
{
    private static readonly Expression<Func<JobEntity, bool>> Nothing = j => false;
    private static readonly Expression<Func<JobEntity, bool>> FromQueued = j => j.Status == JobStatus.Queued;
    private static readonly Expression<Func<JobEntity, bool>> FromUnfinished = j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running;

    public static bool CanMove(JobStatus from, JobStatus to) => Rank(to) > Rank(from);

    /// <summary>
    /// <see cref="CanMove"/> as a predicate on the stored row, for the conditional update that makes the move: the
    /// database decides which of two racing writers wins.
    /// </summary>
    public static Expression<Func<JobEntity, bool>> CanMoveTo(JobStatus to) => Rank(to) switch
    {
        0 => Nothing,
        1 => FromQueued,
        _ => FromUnfinished,
    };

    private static int Rank(JobStatus status) => status switch
    {
        JobStatus.Queued => 0,
        JobStatus.Running => 1,
        _ => 2,
    };
}
