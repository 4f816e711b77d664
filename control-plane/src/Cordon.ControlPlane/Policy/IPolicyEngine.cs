namespace Cordon.ControlPlane.Policy;

/// <summary>
/// Decides whether a tenant may do what a request asks (runtime, limits, network, dependencies, secrets) and with
/// which effective limits. Called through <see cref="PolicyGate"/> on every job, session create and session exec,
/// whatever the entry point. Implementations fail closed: an engine that cannot decide denies.
/// </summary>
internal interface IPolicyEngine
{
    ValueTask<PolicyDecision> DecideAsync(PolicyInput input, CancellationToken cancellationToken);
}
