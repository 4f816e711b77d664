namespace Cordon.Contracts.Secrets;

/// <summary>The answer of <c>POST /v1/admin/secrets/rotate-master-key</c>.</summary>
public sealed record MasterKeyRotation
{
    /// <summary>The id of the master key every data key is now wrapped by.</summary>
    public required string KeyId { get; init; }

    /// <summary>The id of the master key it replaced (deleted once nothing needs it).</summary>
    public required string PreviousKeyId { get; init; }

    /// <summary>How many data keys were re-wrapped.</summary>
    public required int Rewrapped { get; init; }
}
