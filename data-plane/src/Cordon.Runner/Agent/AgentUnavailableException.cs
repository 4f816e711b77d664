namespace Cordon.Runner.Agent;

/// <summary>
/// The sandbox's agent could not be reached, broke off, broke the protocol, or did not answer by the call's
/// deadline (<see cref="DeadlinePassed"/>).
/// </summary>
internal sealed class AgentUnavailableException(string message, bool deadlinePassed = false) : Exception(message)
{
    public bool DeadlinePassed { get; } = deadlinePassed;
}
