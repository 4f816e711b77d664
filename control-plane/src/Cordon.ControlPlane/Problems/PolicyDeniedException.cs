using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>Refused by the tenant's policy; <see cref="Rules"/> are the ids of the rules that denied.</summary>
internal sealed class PolicyDeniedException(string message, IReadOnlyList<string> rules, string policyVersion) : CordonException(message)
{
    public IReadOnlyList<string> Rules { get; } = rules;

    public string PolicyVersion { get; } = policyVersion;

    public override int StatusCode => 403;

    public override string ProblemType => ProblemTypes.PolicyDenied;

    public override string Title => "Denied by policy";
}
