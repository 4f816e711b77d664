namespace Cordon.Contracts.Jobs;

/// <summary>Network access asked for by a job or session. Without it the sandbox has no network at all.</summary>
public sealed record NetworkRequest
{
    /// <summary>Destinations as <c>host:port</c>, allowed only when the tenant's policy allows them.</summary>
    public IReadOnlyList<string>? Egress { get; init; }
}
