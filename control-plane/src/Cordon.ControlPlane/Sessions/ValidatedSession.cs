using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Sessions;

/// <summary>A session request that passed validation, with its canonical language and checked limits.</summary>
internal sealed record ValidatedSession(string Language, RunnerV1.Limits Limits, int IdleTimeoutSec, int TtlSec);
