namespace Cordon.Runner.Egress;

/// <summary>
/// One connection a sandbox made through its egress proxy, written when it ended or was refused.
/// <see cref="Rule"/> is the allowlist entry that admitted it ("" when denied); <see cref="Reason"/> says why it was
/// denied, or why an admitted one failed or was cut (upstream unreachable, idle, byte limit); null for a clean end.
/// Records carry secret names, never a value or a placeholder.
/// </summary>
internal sealed record EgressConnectionRecord(
    DateTimeOffset StartedAt,
    string Host,
    int Port,
    string? Address,
    bool Allowed,
    string Rule,
    string? Reason,
    long BytesOut,
    long BytesIn,
    long DurationMs)
{
    /// <summary>The proxy secrets whose placeholder was replaced by the value on this connection (names only).</summary>
    public IReadOnlyList<string> SecretsUsed { get; init; } = [];

    /// <summary>The proxy secrets whose placeholder was sent toward this destination, which is not listed for them.</summary>
    public IReadOnlyList<string> PlaceholderLeaks { get; init; } = [];
}
