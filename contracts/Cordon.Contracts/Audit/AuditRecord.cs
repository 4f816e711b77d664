namespace Cordon.Contracts.Audit;

/// <summary>
/// One record of the hash-chained audit log, as a segment file holds it and <c>GET /v1/audit</c> returns it.
/// <see cref="Hash"/> is the SHA-256 (lowercase hex) of the record's canonical JSON without <c>hash</c>, which
/// includes <see cref="PrevHash"/>, the previous record's hash; the first record's is 64 zeros.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>The record's position in the chain, from 1, with no gaps.</summary>
    public required long Seq { get; init; }

    /// <summary>When the control plane recorded it (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The tenant acted for; null when unknown (an authentication failure).</summary>
    public string? Tenant { get; init; }

    /// <summary>Who acted: the token's subject, <c>system</c> for the service's own work; null when unknown.</summary>
    public string? Actor { get; init; }

    /// <summary>What happened, for example <c>job.start</c> or <c>auth.failure</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What it happened to: a job or session id, a secret's name, a request path.</summary>
    public string? Target { get; init; }

    /// <summary>How it went: <c>allowed</c>, <c>denied</c>, a job's final status, a session's end reason.</summary>
    public required string Outcome { get; init; }

    /// <summary>Further facts (<c>detail</c>, <c>authBypassed</c>), each a string.</summary>
    public required IReadOnlyDictionary<string, string> Details { get; init; }

    /// <summary>The previous record's hash.</summary>
    public required string PrevHash { get; init; }

    /// <summary>This record's hash.</summary>
    public required string Hash { get; init; }
}
