using Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>A validated job request, resolved to a canonical runtime and the runner's message.</summary>
internal sealed record PreparedJob(string Language, RunJobRequest Request, long TimeoutMs);
