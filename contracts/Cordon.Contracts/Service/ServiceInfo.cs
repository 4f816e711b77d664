namespace Cordon.Contracts.Service;

/// <summary>The body of <c>GET /v1/info</c>.</summary>
public sealed record ServiceInfo
{
    /// <summary>Cordon's version.</summary>
    public required string Version { get; init; }

    /// <summary>The hosting environment (Development, Production…).</summary>
    public required string Environment { get; init; }

    /// <summary>True when authentication is bypassed (testing only).</summary>
    public required bool AuthBypass { get; init; }
}
