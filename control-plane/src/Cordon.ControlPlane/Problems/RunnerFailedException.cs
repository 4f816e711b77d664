using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

internal sealed class RunnerFailedException(string message, Exception? innerException = null) : CordonException(message, innerException)
{
    public override int StatusCode => StatusCodes.Status502BadGateway;

    public override string ProblemType => ProblemTypes.Internal;

    public override string Title => "Runner failure";
}
