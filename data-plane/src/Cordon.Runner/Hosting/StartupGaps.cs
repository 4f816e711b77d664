namespace Cordon.Runner.Hosting;

/// <summary>Shortfalls found while starting (OOM protection, host limits not raised), reported in health with the rest.</summary>
internal sealed class StartupGaps
{
    public List<string> Gaps { get; } = [];
}
