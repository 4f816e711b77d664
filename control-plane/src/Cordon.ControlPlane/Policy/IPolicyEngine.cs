namespace Cordon.ControlPlane.Policy;

/// <summary>
/// Decides whether a tenant may do what a request asks (runtime, limits, network, dependencies, secrets) and
/// whether there is quota for it. Called on every job and session request before anything runs.
/// </summary>
internal interface IPolicyEngine
{
    ValueTask<PolicyDecision> DecideAsync(PolicyInput input, CancellationToken cancellationToken);
}
