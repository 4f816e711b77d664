using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

internal sealed class ConflictException(string message, Exception? innerException = null) : CordonException(message, innerException)
{
    public override int StatusCode => 409;

    public override string ProblemType => ProblemTypes.Conflict;

    public override string Title => "Conflict";
}
