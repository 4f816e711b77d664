using Cordon.Contracts.Runner.Agent;

namespace Cordon.Runner.Execution;

/// <summary>The agent refused a request; <see cref="Code"/> is one of <see cref="AgentErrorCodes"/>.</summary>
internal sealed class AgentRequestException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
