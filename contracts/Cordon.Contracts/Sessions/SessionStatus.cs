using System.Text.Json.Serialization;

namespace Cordon.Contracts.Sessions;

/// <summary>Where a session is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionStatus>))]
public enum SessionStatus
{
    /// <summary>Waiting for work.</summary>
    [JsonStringEnumMemberName("ready")] Ready,
    /// <summary>Running an execution.</summary>
    [JsonStringEnumMemberName("busy")] Busy,
    /// <summary>Over; <c>endReason</c> says why.</summary>
    [JsonStringEnumMemberName("ended")] Ended,
}
