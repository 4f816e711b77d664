namespace Cordon.Runner.Agent;

/// <summary>The sandbox's agent could not be reached or broke off.</summary>
internal sealed class AgentUnavailableException(string message) : Exception(message);
