namespace Cordon.Runner.Agent;

/// <summary>The agent answered with an error (<see cref="Code"/> is one of <c>AgentErrorCodes</c>).</summary>
internal sealed class AgentException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
