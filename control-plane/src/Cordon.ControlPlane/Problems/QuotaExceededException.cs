using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// Refused: the tenant is at one of its quotas (<c>queuedJobs</c>, <c>concurrentSessions</c>, <c>requestsPerSecond</c>,
/// …). Nothing was stored; the client should retry after <see cref="RetryAfter"/>.
/// </summary>
internal sealed class QuotaExceededException(string quota, double limit, string message, TimeSpan retryAfter) : CordonException(message)
{
    /// <summary>The quota's name in the problem's <c>quota</c> member, as the policy document spells it.</summary>
    public string Quota { get; } = quota;

    public double Limit { get; } = limit;

    public TimeSpan RetryAfter { get; } = retryAfter;

    public override int StatusCode => StatusCodes.Status429TooManyRequests;

    public override string ProblemType => ProblemTypes.QuotaExceeded;

    public override string Title => "Quota exceeded";
}
