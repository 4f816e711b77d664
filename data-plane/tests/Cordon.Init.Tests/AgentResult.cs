using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

/// <summary>What one request produced: the final reply and the output frames, decoded.</summary>
public sealed record AgentResult(AgentReply Reply, string Stdout, string Stderr)
{
    public AgentExit Exit => Reply as AgentExit ?? throw new InvalidOperationException($"expected an exit, got {Reply}");
}
