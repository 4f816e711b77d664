using Cordon.Contracts.Problems;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Secrets;

/// <summary>No master key is configured, so this deployment stores and injects no secrets (501).</summary>
internal sealed class SecretStoreDisabledException()
    : CordonException("This deployment has no secret store: the operator sets Cordon:Secrets:MasterKeyFile (make run does) to enable it.")
{
    public override int StatusCode => StatusCodes.Status501NotImplemented;

    public override string ProblemType => ProblemTypes.NotEnforceable;

    public override string Title => "No secret store here";
}
