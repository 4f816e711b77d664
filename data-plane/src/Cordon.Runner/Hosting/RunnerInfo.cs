namespace Cordon.Runner.Hosting;

/// <summary>What the runner reports about itself in health: identity, versions, and known hardening gaps.</summary>
internal sealed record RunnerInfo(string RunnerId, string Version, string OciRuntime, IReadOnlyList<string> KnownGaps)
{
    /// <summary>New for every start of the process: a control plane that sees it change knows the runner restarted.</summary>
    public string InstanceId { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
