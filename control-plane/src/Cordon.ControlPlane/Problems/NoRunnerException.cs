using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

internal sealed class NoRunnerException(string message, Exception? innerException = null) : CordonException(message, innerException)
{
    public override int StatusCode => 503;

    public override string ProblemType => ProblemTypes.Unavailable;

    public override string Title => "No runner available";
}
