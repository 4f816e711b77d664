using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

internal sealed class PayloadTooLargeException(string message, Exception? innerException = null) : CordonException(message, innerException)
{
    public override int StatusCode => 413;

    public override string ProblemType => ProblemTypes.PayloadTooLarge;

    public override string Title => "Payload too large";
}
