using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

internal sealed class PolicyDeniedException(string message, Exception? innerException = null) : CordonException(message, innerException)
{
    public override int StatusCode => 403;

    public override string ProblemType => ProblemTypes.PolicyDenied;

    public override string Title => "Denied by policy";
}
