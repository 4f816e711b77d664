using System.Text.Json.Serialization;

namespace Cordon.Contracts.Sessions;

/// <summary>Why a session ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionEndReason>))]
public enum SessionEndReason
{
    /// <summary>Closed by the client.</summary>
    [JsonStringEnumMemberName("closed")] Closed,
    /// <summary>No execution or file operation within <c>idleTimeoutSec</c>.</summary>
    [JsonStringEnumMemberName("idle_timeout")] IdleTimeout,
    /// <summary>Reached <c>ttlSec</c>.</summary>
    [JsonStringEnumMemberName("ttl")] Ttl,
    /// <summary>The runner holding the sandbox stopped answering.</summary>
    [JsonStringEnumMemberName("runner_lost")] RunnerLost,
    /// <summary>An infrastructure failure.</summary>
    [JsonStringEnumMemberName("error")] Error,
}
