namespace Cordon.Contracts.Sessions;

/// <summary>A stateful sandbox kept alive between executions.</summary>
public sealed record Session
{
    /// <summary>The session's id.</summary>
    public required string Id { get; init; }

    /// <summary>Ready, busy or ended.</summary>
    public required SessionStatus Status { get; init; }

    /// <summary>The runtime's canonical language name.</summary>
    public required string Language { get; init; }

    /// <summary>Why the session ended, once it has.</summary>
    public SessionEndReason? EndReason { get; init; }

    /// <summary>When the session was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the session ends at the latest (its TTL).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The last execution or file operation.</summary>
    public required DateTimeOffset LastActiveAt { get; init; }

    /// <summary>When the session ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}
