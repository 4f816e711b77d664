using Cordon.ControlPlane.Requests;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Sessions;

/// <summary>A session request that passed validation: canonical language, checked limits (effective once the policy decided), features.</summary>
internal sealed record ValidatedSession(string Language, RunnerV1.Limits Limits, int IdleTimeoutSec, int TtlSec, RequestedFeatures Features);
