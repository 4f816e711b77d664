using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

internal sealed class NotFoundException(string message, Exception? innerException = null) : CordonException(message, innerException)
{
    public override int StatusCode => 404;

    public override string ProblemType => ProblemTypes.NotFound;

    public override string Title => "Not found";
}
