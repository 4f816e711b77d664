namespace Cordon.Runner.Sandboxes;

/// <summary>The runner is full.</summary>
internal sealed class SandboxCapacityException(string message) : Exception(message);
