namespace Cordon.ControlPlane.Policy;

/// <summary>The built-in engine until tenant policy documents land: everything the request validation lets through.</summary>
internal sealed class AllowAllPolicyEngine : IPolicyEngine
{
    public ValueTask<PolicyDecision> DecideAsync(PolicyInput input, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Allow("allow-all"));
}
