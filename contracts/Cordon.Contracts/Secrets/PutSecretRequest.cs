namespace Cordon.Contracts.Secrets;

/// <summary>The body of <c>PUT /v1/secrets/{name}</c>.</summary>
public sealed record PutSecretRequest
{
    /// <summary>The secret's value: UTF-8 text, at most 64 KiB, no NUL characters.</summary>
    public required string Value { get; init; }
}
