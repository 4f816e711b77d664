namespace Cordon.Runner.Hosting;

/// <summary>What the runner reports about itself in health: identity, versions, and known hardening gaps.</summary>
internal sealed record RunnerInfo(string RunnerId, string Version, string OciRuntime, IReadOnlyList<string> KnownGaps);
