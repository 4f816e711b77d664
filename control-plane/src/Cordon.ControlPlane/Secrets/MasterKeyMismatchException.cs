using Cordon.Contracts.Problems;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// A data key cannot be unwrapped: the master key it names is not loaded, or the loaded one does not open it (the key
/// file was replaced or the row was changed). 503 with words an operator can act on; never a crash.
/// </summary>
internal sealed class MasterKeyMismatchException(string message, Exception? innerException = null) : CordonException(message, innerException)
{
    public override int StatusCode => StatusCodes.Status503ServiceUnavailable;

    public override string ProblemType => ProblemTypes.Unavailable;

    public override string Title => "Secret cannot be decrypted";
}
