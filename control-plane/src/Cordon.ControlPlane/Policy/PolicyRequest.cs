using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Requests;

namespace Cordon.ControlPlane.Policy;

/// <summary>What a job, session or execution asks the policy for; <see cref="PolicyGate"/> adds who asks and what the service offers.</summary>
internal sealed record PolicyRequest(string Action, string Language, ResourceLimits? Limits, RequestedFeatures Features);
