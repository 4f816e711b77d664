namespace Cordon.Init.Processes;

/// <summary>A request could not start its program; <see cref="Code"/> is an agent error code.</summary>
internal sealed class SpawnException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
