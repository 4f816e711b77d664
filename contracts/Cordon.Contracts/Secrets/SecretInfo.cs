namespace Cordon.Contracts.Secrets;

/// <summary>A stored secret as <c>GET /v1/secrets</c> lists it: its name and times, never its value.</summary>
public sealed record SecretInfo
{
    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
