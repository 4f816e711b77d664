namespace Cordon.Runner.Runtimes;

/// <summary><c>deploy/runtimes/defaults.json</c>: limits every runtime starts from, and their ceilings.</summary>
internal sealed record RegistryDefaults
{
    public required LimitValues DefaultLimits { get; init; }
    public required LimitValues MaxLimits { get; init; }
    public long CompileTimeoutMs { get; init; } = 30_000;
}
