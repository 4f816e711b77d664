using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>An <c>If-Match</c> that names another version than the current one.</summary>
internal sealed class PreconditionFailedException(string message) : CordonException(message)
{
    public override int StatusCode => StatusCodes.Status412PreconditionFailed;

    public override string ProblemType => ProblemTypes.PreconditionFailed;

    public override string Title => "Precondition failed";
}
