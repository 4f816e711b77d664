using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// The policy allowed something the data plane cannot enforce yet (egress, dependencies, secrets): refused rather
/// than run without it.
/// </summary>
internal sealed class NotEnforceableException(string message) : CordonException(message)
{
    public override int StatusCode => StatusCodes.Status501NotImplemented;

    public override string ProblemType => ProblemTypes.NotEnforceable;

    public override string Title => "Allowed by policy but not enforceable here";
}
