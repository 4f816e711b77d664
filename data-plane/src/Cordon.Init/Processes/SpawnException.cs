namespace Cordon.Init.Processes;

/// <summary>The program could not be started (not found, not executable…).</summary>
internal sealed class SpawnException(string message) : Exception(message);
