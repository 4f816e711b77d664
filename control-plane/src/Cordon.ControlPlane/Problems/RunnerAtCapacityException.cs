using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>The runner has no room for another sandbox now (ResourceExhausted).</summary>
internal sealed class RunnerAtCapacityException(string message) : CordonException(message)
{
    public override int StatusCode => StatusCodes.Status503ServiceUnavailable;

    public override string ProblemType => ProblemTypes.Unavailable;

    public override string Title => "No capacity";
}
