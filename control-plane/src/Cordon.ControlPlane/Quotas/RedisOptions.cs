namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The Redis server the replicas of one deployment share (<c>Cordon:Redis</c>). Unset: the quota counters live in
/// this process, which is right for exactly one control plane.
/// </summary>
internal sealed class RedisOptions
{
    public const string SectionName = "Cordon:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis:6379,password=…,ssl=true</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key, so deployments may share one server.</summary>
    public string KeyPrefix { get; set; } = "cordon:";

    public bool IsSet => !string.IsNullOrWhiteSpace(Configuration);
}
