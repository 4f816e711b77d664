using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>The shared quota counters (Redis) did not answer: quotas cannot be enforced, so the request is refused.</summary>
internal sealed class QuotaCountersUnavailableException(string message, Exception innerException) : CordonException(message, innerException)
{
    public override int StatusCode => StatusCodes.Status503ServiceUnavailable;

    public override string ProblemType => ProblemTypes.Unavailable;

    public override string Title => "Quota counters unavailable";
}
