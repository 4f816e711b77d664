using Cordon.Audit;

namespace Cordon.ControlPlane.Audit;

/// <summary>The last durable record of the chain: the next one is <c>Seq + 1</c> and links to <c>Hash</c>.</summary>
internal sealed record AuditHead(long Seq, string Hash)
{
    public static AuditHead Empty { get; } = new(0, AuditChain.GenesisHash);
}
