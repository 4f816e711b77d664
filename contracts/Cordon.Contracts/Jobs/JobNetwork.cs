namespace Cordon.Contracts.Jobs;

/// <summary>What a job (or session execution) did through the egress proxy; present only when egress was granted.</summary>
public sealed record JobNetwork
{
    /// <summary>Connections the sandbox opened through the proxy, allowed and denied.</summary>
    public required long Connections { get; init; }

    /// <summary>Of those, the ones the proxy refused.</summary>
    public required long Denied { get; init; }

    /// <summary>Bytes the sandbox sent to its destinations.</summary>
    public required long BytesOut { get; init; }

    /// <summary>Bytes its destinations sent back.</summary>
    public required long BytesIn { get; init; }
}
