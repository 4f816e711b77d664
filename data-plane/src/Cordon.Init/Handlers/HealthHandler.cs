using System.Reflection;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Handlers;

/// <summary>Answers <see cref="AgentHealthQuery"/>.</summary>
internal sealed class HealthHandler(TimeProvider time)
{
    private static readonly string Version =
        typeof(HealthHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private readonly long _startedAt = time.GetTimestamp();

    public AgentHealth Handle() => new()
    {
        ProtocolVersion = AgentFrame.ProtocolVersion,
        Version = Version,
        UptimeMs = (long)time.GetElapsedTime(_startedAt).TotalMilliseconds,
    };
}
