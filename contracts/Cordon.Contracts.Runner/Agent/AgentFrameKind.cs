namespace Cordon.Contracts.Runner.Agent;

/// <summary>What a frame of the agent protocol carries.</summary>
public enum AgentFrameKind : byte
{
    /// <summary>A UTF-8 JSON message: an <see cref="AgentRequest"/> or an <see cref="AgentReply"/>.</summary>
    Message = 1,
    /// <summary>Raw bytes the program wrote to standard output.</summary>
    Stdout = 2,
    /// <summary>Raw bytes the program wrote to standard error.</summary>
    Stderr = 3,
}
